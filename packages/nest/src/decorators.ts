import type { Duration } from '@cachette/core';
import type { CacheControl as CacheControlFields } from '@cachette/core/http';
import { type CacheControlDirectives, createPageCache, type PageTags, resolveDirectives, varyOnNames } from '@cachette/core/pages';
import { applyDecorators, Inject, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import { CachePageGuard } from './cache-page.guard.js';
import { CachePageInterceptor } from './cache-page.interceptor.js';
import { checkCache } from './check-cache.js';
import {
  CACHE_CONTROL_METADATA,
  CACHE_PAGE_METADATA,
  CACHE_TAGS_METADATA,
  type CachePageMetadata,
  type CachePageOptions,
  NEVER_CACHE_METADATA,
  VARY_COOKIES_METADATA,
  VARY_HEADERS_METADATA,
} from './metadata.js';
import { CACHETTE_CACHE } from './tokens.js';

/**
 * Caches what the client receives from a GET handler — status (`@HttpCode`), headers
 * (`@Header`, `res.setHeader`) and the serialized body — with every rule of the core page
 * cache (Vary, cookies, Authorization, 304, HEAD, SWR, stale-if-error). Every guard of the route
 * runs first: a guard that rejects still rejects on a cached route. A plain hit is then sent at
 * once, before interceptors, pipes and the handler, unless an interceptor of the app wraps the
 * route: then it still runs on hits (see `CachePageGuard`). Options are checked here.
 *
 * @example
 * ```ts
 * @Get(':id') @CachePage('15m', { staleWhileRevalidate: '1m' })
 * find(@Param('id') id: string) { return this.products.find(id) }
 * ```
 */
export function CachePage(ttl: Duration, options: CachePageOptions = {}): MethodDecorator & ClassDecorator {
  createPageCache(ttl, { ...options, cache: options.cache ?? checkCache() });
  const metadata: CachePageMetadata = Object.freeze({ ttl, options: Object.freeze({ ...options }) });
  return applyDecorators(SetMetadata(CACHE_PAGE_METADATA, metadata), UseGuards(CachePageGuard), UseInterceptors(CachePageInterceptor));
}

/**
 * The route's pages vary on these request headers (Django's `vary_on_headers`); they join the
 * cache key and the response's `Vary`.
 *
 * @example
 * ```ts
 * @Get() @CachePage('1h') @VaryOnHeaders('Accept-Language') list() { … }
 * ```
 */
export function VaryOnHeaders(...names: string[]): MethodDecorator & ClassDecorator {
  return SetMetadata(VARY_HEADERS_METADATA, varyOnNames('@VaryOnHeaders', names));
}

/**
 * The route's pages vary on these cookies; requests carrying other cookies are not cached.
 *
 * @example
 * ```ts
 * @Get('me') @CachePage('1m') @VaryOnCookies('session') me() { … }
 * ```
 */
export function VaryOnCookies(...names: string[]): MethodDecorator & ClassDecorator {
  return SetMetadata(VARY_COOKIES_METADATA, varyOnNames('@VaryOnCookies', names));
}

/**
 * Never cached by anyone (Django's `never_cache`): sends
 * `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private` and `Expires` equal to its `Date`,
 * and the app-wide page cache leaves the route alone.
 *
 * @example
 * ```ts
 * @Get('live') @NeverCache() live() { … }
 * ```
 */
export function NeverCache(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(NEVER_CACHE_METADATA, true), UseInterceptors(CachePageInterceptor));
}

/**
 * Patches the response's `Cache-Control` (Django's `cache_control`); durations are strings or ms.
 *
 * @example
 * ```ts
 * @Get('cc') @CacheControl({ public: true, maxAge: '5m' }) cc() { … }   // Cache-Control: public, max-age=300
 * ```
 */
export function CacheControl(directives: CacheControlDirectives): MethodDecorator & ClassDecorator {
  const changes: Readonly<Partial<CacheControlFields>> = resolveDirectives(directives, '@CacheControl');
  return applyDecorators(SetMetadata(CACHE_CONTROL_METADATA, changes), UseInterceptors(CachePageInterceptor));
}

/**
 * Tags the route's pages, for `cache.deleteByTag`: fixed, or computed from the request.
 *
 * @example
 * ```ts
 * @Get(':id/reviews') @CachePage('5m') @CacheTags((req) => [`product:${req.params?.id}`]) reviews() { … }
 * ```
 */
export function CacheTags(tags: PageTags): MethodDecorator & ClassDecorator {
  // the core's own check of `tags`, as for cachePage({ tags }) in every adapter
  createPageCache('1m', { cache: checkCache(), tags, hosts: ['*'] });
  return SetMetadata(CACHE_TAGS_METADATA, tags);
}

/**
 * Injects the module's cache (`CachetteModule.forRoot`), for manual use.
 *
 * @example
 * ```ts
 * constructor(@InjectCache() private readonly cache: Cache) {}
 * ```
 */
export function InjectCache(): PropertyDecorator & ParameterDecorator {
  return Inject(CACHETTE_CACHE);
}
