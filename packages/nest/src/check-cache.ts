import { type Cache, createCache } from '@cachette/core';

let cache: Cache | undefined;

/** A throwaway cache, only to let the core check route options where they are written; made on first use. */
export function checkCache(): Cache {
  cache ??= createCache({ namespace: 'cachette-nest-check' });
  return cache;
}
