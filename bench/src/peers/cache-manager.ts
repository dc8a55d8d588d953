import { createCache } from 'cache-manager';
import type { Peer } from './peer.js';

const TTL_MS = 3_600_000;

/** cache-manager 7 with its default store: one in-memory Keyv. `getOrSet` is its `wrap`. */
export function cacheManagerPeer(): Peer {
  const cache = createCache({ ttl: TTL_MS });
  return {
    id: 'cache-manager',
    name: 'cache-manager',
    async fill(items) {
      for (const { key, value } of items) await cache.set(key, value, TTL_MS);
    },
    async getAll(keys) {
      let hits = 0;
      for (const key of keys) if ((await cache.get(key)) !== undefined) hits++;
      return hits;
    },
    async getOrSetAll(keys, load) {
      let answers = 0;
      for (const key of keys) if ((await cache.wrap(key, load, TTL_MS)) !== undefined) answers++;
      return answers;
    },
    getOrSet: (key, load) => cache.wrap(key, load, TTL_MS),
    get: (key) => cache.get(key),
    close: () => cache.disconnect().then(() => undefined),
  };
}
