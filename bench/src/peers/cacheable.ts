import { Cacheable } from 'cacheable';
import type { Peer } from './peer.js';

/** cacheable with its default in-memory primary store (`new Cacheable()`). */
export function cacheablePeer(): Peer {
  const cache = new Cacheable({ ttl: '1h' });
  return {
    id: 'cacheable',
    name: 'cacheable',
    async fill(items) {
      for (const { key, value } of items) await cache.set(key, value);
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
