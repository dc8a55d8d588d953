export { CacheEvict, type CacheEvictOptions } from './cache-evict.js';
export { CachePut, type CachePutOptions } from './cache-put.js';
export { Cacheable, type CacheableOptions } from './cacheable.js';
export type { CacheDecorator } from './method-decorator.js';
export type { CacheEntryOptions, CacheSource, CacheTargetOptions } from './options.js';
export { CACHETTE_CACHE, setDefaultCache } from './resolve-cache.js';
