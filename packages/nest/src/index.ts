export { type CacheControlDirectives, NEVER_CACHE } from '@cachette/core/pages';
export { Cacheable, CacheEvict, CachePut, setDefaultCache } from '@cachette/decorators';
export { CachePageInterceptor } from './cache-page.interceptor.js';
export { CachetteModule, type CachetteModuleAsyncOptions, type CachetteModuleOptions } from './cachette.module.js';
export { CacheControl, CachePage, CacheTags, InjectCache, NeverCache, VaryOnCookies, VaryOnHeaders } from './decorators.js';
export type { CachePageOptions } from './metadata.js';
export { CACHETTE_CACHE } from './tokens.js';
