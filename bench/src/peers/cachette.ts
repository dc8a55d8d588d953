import { type Cache, createCache, memoryStore } from '@cachette/core';
import { redisStore } from '@cachette/redis';
import type { Peer } from './peer.js';

/** cachette with one memory tier (lru-cache underneath), values kept by reference. */
export function cachetteMemoryPeer(): Peer {
  return wrap(
    'cachette',
    'cachette',
    createCache({ namespace: 'bench', ttl: '1h', tiers: [{ store: memoryStore({ maxEntries: 10_000 }) }] }),
  );
}

/** cachette with Redis (`@cachette/redis`'s `redisStore`) as its only tier: every `get` goes to Redis and decodes the entry. */
export function cachetteRedisPeer(url: string, namespace: string): Peer {
  return wrap(
    'cachette-redis',
    'cachette (redis tier only)',
    createCache({ namespace, ttl: '1h', tiers: [{ store: redisStore({ url }) }] }),
  );
}

function wrap(id: string, name: string, cache: Cache): Peer {
  return {
    id,
    name,
    async fill(items) {
      await cache.setMany(items);
    },
    async getAll(keys) {
      let hits = 0;
      for (const key of keys) if ((await cache.get(key)) !== undefined) hits++;
      return hits;
    },
    async getOrSetAll(keys, load) {
      let answers = 0;
      for (const key of keys) if ((await cache.getOrSet(key, load)) !== undefined) answers++;
      return answers;
    },
    getOrSet: (key, load) => cache.getOrSet(key, load),
    get: (key) => cache.get(key),
    close: () => cache.disconnect(),
  };
}
