import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import type { Peer } from './peer.js';

/**
 * bentocache with its memory driver only. `serialize: false` keeps values by reference, as
 * cachette does (the fair comparison); bentocache's default JSON-encodes every L1 entry.
 */
export function bentocacheMemoryPeer(serialize: boolean): Peer {
  const store = bentostore().useL1Layer(memoryDriver({ maxItems: 10_000, serialize }));
  const bento = new BentoCache({ default: 'cache', ttl: '1h', stores: { cache: store } });
  if (serialize) return wrap('bentocache-json', 'bentocache (default: JSON L1)', bento);
  return wrap('bentocache', 'bentocache (serialize: false)', bento);
}

/** bentocache with only its Redis driver (ioredis): every `get` goes to Redis. */
export function bentocacheRedisPeer(url: string, prefix: string): Peer {
  const connection = new Redis(url, { lazyConnect: false });
  const store = bentostore().useL2Layer(redisDriver({ connection }));
  const peer = wrap(
    'bentocache-redis',
    'bentocache (redis L2 only)',
    new BentoCache({ default: 'cache', ttl: '1h', prefix, stores: { cache: store } }),
  );
  return {
    ...peer,
    async close() {
      await peer.close();
      if (connection.status !== 'end') connection.disconnect();
    },
  };
}

function wrap(id: string, name: string, bento: BentoCache<{ cache: ReturnType<typeof bentostore> }>): Peer {
  return {
    id,
    name,
    async fill(items) {
      for (const { key, value } of items) await bento.set({ key, value });
    },
    async getAll(keys) {
      let hits = 0;
      for (const key of keys) if ((await bento.get({ key })) !== undefined) hits++;
      return hits;
    },
    async getOrSetAll(keys, load) {
      let answers = 0;
      for (const key of keys) if ((await bento.getOrSet({ key, factory: load })) !== undefined) answers++;
      return answers;
    },
    getOrSet: (key, load) => bento.getOrSet({ key, factory: load }),
    get: (key) => bento.get({ key }),
    close: () => bento.disconnect(),
  };
}
