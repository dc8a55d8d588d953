export { type CacheControlDirectives, NEVER_CACHE } from '@cachette/core/pages';
export { cacheControl } from './cache-control.js';
export { cachePage } from './cache-page.js';
export { type CachetteOptions, cachette } from './cachette.js';
export { neverCache } from './never-cache.js';
export { toPageRequest } from './page-request.js';
export { varyOnCookies, varyOnHeaders } from './vary-on.js';
