import { type Cache, type CacheOptions, createCache, type Duration } from '@cachette/core';
import { createSitePageCache } from '@cachette/core/pages';
import { setDefaultCache } from '@cachette/decorators';
import { type DynamicModule, Global, Inject, Module, type OnModuleDestroy, type OnModuleInit, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CachePageInterceptor } from './cache-page.interceptor.js';
import { checkCache } from './check-cache.js';
import { placePageGuardsLast } from './guard-order.js';
import type { CachePageOptions } from './metadata.js';
import { assertGetHandlers } from './misuse.js';
import { CACHETTE_CACHE, CACHETTE_MODULE_OPTIONS } from './tokens.js';

/** Options of `CachetteModule.forRoot`: the cache's own options, or a cache you made. */
export interface CachetteModuleOptions extends CacheOptions {
  /** Use this cache instead of making one from the options. */
  cache?: Cache;
  /**
   * Cache every GET route's pages, app-wide (Django's cache middleware); `@CachePage` on a route
   * overrides, `@NeverCache` opts out. Default: only routes with `@CachePage`.
   */
  pages?: CachePageOptions & { ttl: Duration };
}

/** What `forRootAsync` takes: a factory of {@link CachetteModuleOptions}, with its injections. */
export interface CachetteModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => CachetteModuleOptions | Promise<CachetteModuleOptions>;
  /** Cache pages app-wide; must be known before the factory runs, since it adds an interceptor. */
  pages?: boolean;
}

/**
 * Provides the cache (token `CACHETTE_CACHE`, `@InjectCache()`) to the whole app, makes it the
 * default of `@Cacheable` / `@CacheEvict` / `@CachePut` in services, and checks at start-up that
 * `@CachePage` sits only on GET handlers.
 *
 * @example
 * ```ts
 * @Module({ imports: [CachetteModule.forRoot({ ttl: '5m', tiers: [{ store: memoryStore() }] })] })
 * export class AppModule {}
 * ```
 */
@Global()
@Module({})
export class CachetteModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(CACHETTE_CACHE) private readonly cache: Cache,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
  ) {
    // made when the app is built, before Nest reads the guards of its routes (app.init)
    placePageGuardsLast(discovery, scanner);
  }

  static forRoot(options: CachetteModuleOptions = {}): DynamicModule {
    // app-wide page options are checked here, when the app is built, never in a request
    if (options.pages !== undefined) createSitePageCache({ ...options.pages, cache: options.pages.cache ?? checkCache() });
    return moduleOf([{ provide: CACHETTE_MODULE_OPTIONS, useValue: Object.freeze({ ...options }) }], options.pages !== undefined);
  }

  static forRootAsync(options: CachetteModuleAsyncOptions): DynamicModule {
    const provider: Provider = { provide: CACHETTE_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return { ...moduleOf([provider], options.pages === true), imports: [DiscoveryModule, ...(options.imports ?? [])] };
  }

  onModuleInit(): void {
    // services' @Cacheable / @CacheEvict / @CachePut resolve this cache (Nest's DI is not tsyringe)
    setDefaultCache(this.cache);
    assertGetHandlers(this.discovery, this.scanner);
  }

  onModuleDestroy(): void {
    setDefaultCache(undefined);
  }
}

/** The module: options, the cache made from them, the page interceptor (app-wide when asked). */
function moduleOf(optionProviders: Provider[], pages: boolean): DynamicModule {
  const cacheProvider: Provider = {
    provide: CACHETTE_CACHE,
    useFactory: (options: CachetteModuleOptions) => {
      const { cache, pages: _pages, ...cacheOptions } = options;
      const resolved = cache ?? createCache(cacheOptions);
      setDefaultCache(resolved);
      return resolved;
    },
    inject: [CACHETTE_MODULE_OPTIONS],
  };
  const providers: Provider[] = [...optionProviders, cacheProvider, CachePageInterceptor];
  if (pages) providers.push({ provide: APP_INTERCEPTOR, useExisting: CachePageInterceptor });
  return {
    module: CachetteModule,
    imports: [DiscoveryModule],
    providers,
    exports: [CACHETTE_CACHE, CACHETTE_MODULE_OPTIONS, CachePageInterceptor],
  };
}
