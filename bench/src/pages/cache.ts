/** The cache every cachette server of the page bench stores its pages in: memory only, big enough for every shape. */
import { type Cache, createCache, memoryStore } from '@cachette/core';
import { BENCH_CACHE_OPTIONS } from './body.js';

export function benchCache(): Cache {
  return createCache({ namespace: 'bench-pages', tiers: [{ store: memoryStore(BENCH_CACHE_OPTIONS) }] });
}
