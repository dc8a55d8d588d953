import type { CacheStore } from '@cachette/core';
import { type Connection, connect, type RedisConnection } from './connection.js';
import { batchReads } from './read-batch.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** Name in events and stats. Default `'redis'`. */
  name?: string;
}

/**
 * The shared Redis tier, on node-redis directly — one Redis (`{ url }`), a Redis Cluster
 * (`{ cluster: { rootNodes } }`) or a Sentinel set (`{ sentinel: { name, sentinelRootNodes } }`): one command per read (`GET`; reads asked for in
 * one tick go as one `MGET`, except on a cluster, where they stay a `GET` each), entries packed (a JSON header, long strings as their UTF-8 bytes after it) and read as bytes, TTLs in milliseconds (`PX`), `clear()` by `SCAN` + `UNLINK` of this
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
  // the hot path: one command, no extra await once connected
  const getBytes = (key: string) => (conn.client.isReady ? conn.client.getBytes(key) : conn.ready.then((c) => c.getBytes(key)));
  // reads of one tick as one MGET where every key can go to one server (not on a cluster)
  const mGetBytes = conn.client.mGetBytes?.bind(conn.client);
  const batched =
    mGetBytes &&
    batchReads({ one: getBytes, many: (keys) => (conn.client.isReady ? mGetBytes(keys) : conn.ready.then(() => mGetBytes(keys))) }, parse);
  return {
    name: options.name ?? 'redis',
    shared: true,
    // entries come packed (long strings as their bytes) and are read as bytes: see `parse`
    binary: true,
    attach(context) {
      // node-redis says when its connection is back: the cache tries this tier again at once
      if (context.onReady) conn.onReady(context.onReady);
    },
    get: (key) => (batched ? batched(key) : getBytes(key).then(parse)),
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
      const all = [...keys];
      if (all.length > 0) await (await client()).del(all);
    },
    async mergeMax(key, fields, ttl) {
      const names = Object.keys(fields);
      const args = [String(Math.max(1, Math.ceil(ttl))), ...names.flatMap((name) => [name, String(fields[name])])];
      await (await client()).eval(MERGE_MAX, { keys: [key], arguments: args });
    },
    clearPrefix: (prefix) => clearPrefix(conn, prefix),
    disconnect: () => conn.close(),
  };
}

/**
 * Merges a mark in one step (a script runs atomically): each field keeps the larger of the stored
 * and the given number, and the key lives at least the given TTL. On a cluster the key carries
 * its hash tag (see `clusterKey`), so the script touches one slot.
 * ARGV: ttl ms, then name/number pairs. A stored value that is not a JSON object is replaced.
 */
const MERGE_MAX = `
local ok, mark = pcall(cjson.decode, redis.call('GET', KEYS[1]) or '{}')
if not ok or type(mark) ~= 'table' then mark = {} end
for i = 2, #ARGV, 2 do
  local given, stored = tonumber(ARGV[i + 1]), tonumber(mark[ARGV[i]])
  if stored == nil or given > stored then mark[ARGV[i]] = given else mark[ARGV[i]] = stored end
end
local parts = {}
for name, value in pairs(mark) do
  if type(value) == 'number' then parts[#parts + 1] = cjson.encode(name) .. ':' .. string.format('%.17g', value) end
end
local ttl = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) > ttl then ttl = redis.call('PTTL', KEYS[1]) end
redis.call('SET', KEYS[1], '{' .. table.concat(parts, ',') .. '}', 'PX', ttl)
return 1
`;

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
