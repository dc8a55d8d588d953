import { LRUCache } from 'lru-cache';
import type { Product } from '../workload.js';
import type { Peer } from './peer.js';

/** Raw lru-cache, awaited: the floor for an in-process hit. */
export function lruCachePeer(): Peer {
  const lru = new LRUCache<string, Product>({ max: 10_000, ttl: 3_600_000 });
  return {
    id: 'lru-cache',
    name: 'lru-cache (raw)',
    async fill(items) {
      for (const { key, value } of items) lru.set(key, value);
    },
    async getAll(keys) {
      let hits = 0;
      for (const key of keys) if ((await lru.get(key)) !== undefined) hits++;
      return hits;
    },
    async get(key) {
      return lru.get(key);
    },
    async close() {
      lru.clear();
    },
  };
}
