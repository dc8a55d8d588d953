import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type CacheOptions, type CacheStore, memoryStore } from '@cachette/core';
import { keyvStore } from '@cachette/core/keyv';
import KeyvSqlite from '@keyv/sqlite';

/**
 * The shop's tiers: bounded memory in front of a SQLite file (the embedded default), or of
 * Redis when `REDIS_URL` is set — then the bus keeps several processes' memory coherent.
 */
export async function shopCacheOptions(env: { sqliteFile?: string; redisUrl?: string } = {}): Promise<CacheOptions> {
  const redisUrl = 'redisUrl' in env ? env.redisUrl : process.env.REDIS_URL;
  const memory = { store: memoryStore({ maxEntries: 10_000, maxBytes: '64mb' }), ttl: '30s' };
  if (!redisUrl)
    return { namespace: 'nest-shop', tiers: [memory, { store: sqlite(env.sqliteFile ?? '.cache/nest-shop.sqlite'), ttl: '1h' }] };
  // loaded only when asked for: a shop on SQLite never loads a Redis client
  const { redisBus, redisStore } = await import('@cachette/redis');
  return {
    namespace: 'nest-shop',
    tiers: [memory, { store: redisStore({ url: redisUrl }), ttl: '1h' }],
    bus: redisBus({ url: redisUrl, channel: 'nest-shop' }),
  };
}

function sqlite(file: string): CacheStore {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  return keyvStore(new KeyvSqlite(`sqlite://${path}`));
}
