import type { CacheStore } from '@cachette/core';
import { type Connection, connect, type RedisConnection } from './connection.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** Name in events and stats. Default `'redis'`. */
  name?: string;
}

/**
 * The shared Redis tier, on node-redis directly — one Redis (`{ url }`), a Redis Cluster
 * (`{ cluster: { rootNodes } }`) or a Sentinel set (`{ sentinel: { name, sentinelRootNodes } }`): one command per read (`GET`, `MGET` for
 * batches), entries packed (a JSON header, long strings as their UTF-8 bytes after it) and read as bytes, TTLs in milliseconds (`PX`), `clear()` by `SCAN` + `UNLINK` of this
 * namespace's prefix only — never `FLUSHDB`. While Redis is away, calls fail at once (no offline
 * queue), so the cache's circuit breaker takes over instead of requests piling up.
 *
 * For any other Keyv store (or Redis through Keyv), use core's `keyvStore`.
 *
 * @example
 * ```ts
 * createCache({ tiers: [
 *   { store: memoryStore(), ttl: '30s' },
 *   { store: redisStore({ url: 'redis://127.0.0.1:6379' }), ttl: '1h' },
 * ] })
 * redisStore({ cluster: { rootNodes: [{ url: 'redis://10.0.0.1:7000' }, { url: 'redis://10.0.0.2:7000' }] } })
 * redisStore({ sentinel: { name: 'mymaster', sentinelRootNodes: [{ host: '10.0.0.1', port: 26379 }] } })
 * ```
 */
export function redisStore(connection: RedisConnection, options: RedisStoreOptions = {}): CacheStore {
  const conn = connect(connection, 'redisStore');
  const client = () => (conn.client.isReady ? conn.client : conn.ready);
  return {
    name: options.name ?? 'redis',
    shared: true,
    // entries come packed (long strings as their bytes) and are read as bytes: see `parse`
    binary: true,
    attach(context) {
      // node-redis says when its connection is back: the cache tries this tier again at once
      if (context.onReady) conn.onReady(context.onReady);
    },
    get(key) {
      // the hot path: one command, no extra await once connected
      if (conn.client.isReady) return conn.client.getBytes(key).then(parse);
      return conn.ready.then((ready) => ready.getBytes(key)).then(parse);
    },
    async set(key, value, ttl) {
      const stored = Buffer.isBuffer(value) ? value : JSON.stringify(value);
      await (await client()).set(key, stored, { expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttl)) } });
    },
    async delete(key) {
      return (await (await client()).del(key)) > 0;
    },
    async getMany(keys) {
      const texts = await (await client()).mGet([...keys]);
      return texts.map(parseText);
    },
    async deleteMany(keys) {
      if (keys.length > 0) await (await client()).del([...keys]);
    },
    clearPrefix: (prefix) => clearPrefix(conn, prefix),
    disconnect: () => conn.close(),
  };
}

/**
 * A reply read as bytes: a packed entry (first byte 0, see core's `packEntry`) goes to the cache
 * as it is, for it to decode its long strings straight from these bytes; anything else is JSON.
 * Node-redis decoding a large reply to text costs more than the read itself (200 kB: ~10×).
 */
function parse(bytes: Buffer | null): unknown {
  if (bytes === null) return undefined;
  return bytes[0] === 0 ? bytes : JSON.parse(bytes.toString());
}

/** A reply read as text (`MGET`): a packed entry is valid UTF-8, so its bytes come back whole. */
function parseText(text: string | null): unknown {
  if (text === null) return undefined;
  return text.charCodeAt(0) === 0 ? Buffer.from(text) : JSON.parse(text);
}

async function clearPrefix(conn: Connection, prefix: string): Promise<void> {
  await conn.unlinkMatching(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
}
