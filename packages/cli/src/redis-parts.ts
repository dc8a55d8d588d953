import { type CacheBus, type CacheStore, InvalidOptionError } from '@cachette/core';
import { type RedisClient, redisBus, redisStore } from '@cachette/redis';
import type { ConnectionSpec } from './connection-spec.js';
import { CliError } from './errors.js';

/** The shared tier and the bus, from `@cachette/redis`, and how to close what they opened. */
export interface RedisParts {
  store: CacheStore;
  bus: CacheBus;
  close(): Promise<void>;
}

/** Store and bus on the command's own client (one server): the client's lifecycle stays the command's. */
export function partsOnClient(client: RedisClient, channel: string): RedisParts {
  return { store: redisStore({ client }), bus: redisBus({ client, channel }), close: async () => undefined };
}

/**
 * Store and bus for a cluster or sentinel spec, passed to `@cachette/redis` as given;
 * `E_UNSUPPORTED` if this version of it does not take that form.
 */
export function partsForSpec(spec: Exclude<ConnectionSpec, { url: string }>, channel: string): RedisParts {
  const form = 'cluster' in spec ? 'Redis Cluster (--cluster)' : 'Sentinel (--sentinel)';
  let store: CacheStore | undefined;
  try {
    // the typed shape of this @cachette/redis may not name these forms yet; it checks them at run time
    store = redisStore(spec as unknown as Parameters<typeof redisStore>[0]);
    const bus = redisBus({ ...spec, channel } as unknown as Parameters<typeof redisBus>[0]);
    const opened = store;
    return {
      store,
      bus,
      close: async () => {
        await Promise.allSettled([bus.disconnect?.(), opened.disconnect?.()]);
      },
    };
  } catch (cause) {
    void store?.disconnect?.();
    if (cause instanceof InvalidOptionError) {
      throw new CliError('E_UNSUPPORTED', `${form} is not supported by this @cachette/redis yet (${cause.message})`, { cause });
    }
    throw cause;
  }
}

/** The same store, minus `clearPrefix`: a cache over it clears by its clear mark alone (no SCAN, no UNLINK). */
export function withoutClearPrefix(store: CacheStore): CacheStore {
  return {
    name: store.name,
    shared: store.shared,
    get: (key) => store.get(key),
    set: (key, value, ttl) => store.set(key, value, ttl),
    delete: (key) => store.delete(key),
    getMany: store.getMany && ((keys) => store.getMany?.(keys) ?? Promise.resolve([])),
  };
}
