import type { Duration, PageCacheOptions } from '@cachette/core';
import type { PageTags } from '@cachette/core/pages';

/** Metadata keys the decorators set and the interceptor reads. */
export const CACHE_PAGE_METADATA = 'cachette:cache-page';
export const VARY_HEADERS_METADATA = 'cachette:vary-headers';
export const VARY_COOKIES_METADATA = 'cachette:vary-cookies';
export const NEVER_CACHE_METADATA = 'cachette:never-cache';
export const CACHE_CONTROL_METADATA = 'cachette:cache-control';
export const CACHE_TAGS_METADATA = 'cachette:cache-tags';

/**
 * Route options of `@CachePage`: the core's page options, the same as `cachePage` in Express
 * and Koa. `cache` defaults to the module's; `@VaryOnHeaders` and `@VaryOnCookies`
 * add to `varyHeaders` and `varyCookies`; `@CacheTags` replaces `tags`. On a route, these options
 * replace the module's app-wide `pages` options (they are not merged).
 */
export type CachePageOptions = PageCacheOptions;

/** What `@CachePage` records on a handler or controller. */
export interface CachePageMetadata {
  ttl: Duration;
  options: CachePageOptions;
}

/** What `@CacheTags` records. */
export type CacheTagsMetadata = PageTags;
