import { type Cache, InvalidOptionError } from '@cachette/core';
import type { CacheControl } from '@cachette/core/http';
import { createPageCache, createSitePageCache, type PageCache } from '@cachette/core/pages';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { CachetteModuleOptions } from './cachette.module.js';
import {
  CACHE_CONTROL_METADATA,
  CACHE_PAGE_METADATA,
  CACHE_TAGS_METADATA,
  type CachePageMetadata,
  type CacheTagsMetadata,
  NEVER_CACHE_METADATA,
  VARY_COOKIES_METADATA,
  VARY_HEADERS_METADATA,
} from './metadata.js';

/** What the decorators say of one route, read once. */
export interface Route {
  never: boolean;
  /** The status Nest sets before the handler: `@HttpCode`'s, else 200 (a page route is a GET). */
  status: number;
  directives: Readonly<Partial<CacheControl>> | undefined;
  page: PageCache | undefined;
  varyHeaders: readonly string[] | undefined;
  varyCookies: readonly string[] | undefined;
}

/** What the page guard and interceptor are given by Nest's DI. */
export interface RouteSources {
  reflector: Reflector;
  cache: Cache;
  options: CachetteModuleOptions | undefined;
}

// @nestjs/common's HTTP_CODE_METADATA (`@HttpCode`), the same key in Nest 10, 11 and 12.
const HTTP_CODE_METADATA = '__httpCode__';

/** The cache the page guard and interceptor were given, or the error that says what to import. */
export function moduleCache(cache: Cache | undefined): Cache {
  if (cache) return cache;
  throw new InvalidOptionError(
    'E_INVALID_OPTION',
    '[cachette:nest] @CachePage, @NeverCache and @CacheControl need the cache: add CachetteModule.forRoot(…) (or forRootAsync) to the imports of your root module',
  );
}

/**
 * Routes read, by the module's cache and handler (the app's objects only: collected with them):
 * the guard and the interceptor of one app share each route's page cache.
 */
const ROUTES = new WeakMap<
  Cache,
  WeakMap<object, Array<{ controller: object; options: CachetteModuleOptions | undefined; route: Route }>>
>();

/**
 * The route's decorators, read and turned into a page cache once per handler, controller and
 * module set-up: `CachePageGuard` and `CachePageInterceptor` get the same {@link Route}, so the
 * page the interceptor stores is the one the guard's hit path already knows (one memo of plain
 * requests per route, not one each).
 */
export function routeOf(sources: RouteSources, context: ExecutionContext): Route {
  const handler = context.getHandler();
  const controller = context.getClass();
  let byHandler = ROUTES.get(sources.cache);
  if (byHandler === undefined) {
    byHandler = new WeakMap();
    ROUTES.set(sources.cache, byHandler);
  }
  let known = byHandler.get(handler);
  if (known === undefined) {
    known = [];
    byHandler.set(handler, known);
  }
  const same = known.find((r) => r.controller === controller && r.options === sources.options);
  if (same !== undefined) return same.route;
  const route = readRoute(sources, context);
  known.push({ controller, options: sources.options, route });
  return route;
}

/** The route's decorators, read and turned into a page cache (see {@link routeOf}, which keeps it). */
function readRoute({ reflector, cache, options }: RouteSources, context: ExecutionContext): Route {
  const handler = context.getHandler();
  const targets = [handler, context.getClass()];
  const read = <T>(key: string) => reflector.getAllAndOverride<T | undefined>(key, targets);
  const cached = read<CachePageMetadata>(CACHE_PAGE_METADATA);
  const appWide = options?.pages;
  let page: PageCache | undefined;
  const tags = read<CacheTagsMetadata>(CACHE_TAGS_METADATA);
  if (cached) {
    const pageOptions = cached.options;
    page = createPageCache(cached.ttl, { ...pageOptions, cache: pageOptions.cache ?? cache, tags: tags ?? pageOptions.tags });
  } else if (appWide) {
    // app-wide is Django's cache middleware: the response's own max-age is the TTL where it states one
    page = createSitePageCache({ ...appWide, cache: appWide.cache ?? cache, tags: tags ?? appWide.tags });
  }
  return {
    never: read<boolean>(NEVER_CACHE_METADATA) === true,
    status: reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ?? 200,
    directives: read<Partial<CacheControl>>(CACHE_CONTROL_METADATA),
    page,
    varyHeaders: read<readonly string[]>(VARY_HEADERS_METADATA),
    varyCookies: read<readonly string[]>(VARY_COOKIES_METADATA),
  };
}
