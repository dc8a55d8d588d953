import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Cache, type CacheStore, createCache, memoryStore } from '@cachette/core';
import { keyvStore } from '@cachette/core/keyv';
import KeyvSqlite from '@keyv/sqlite';

/** Where the shop keeps its pages besides memory. */
export interface ShopCacheOptions {
  /** The SQLite file of the embedded tier. Default `.cache/shop.sqlite` (in the working directory). */
  sqliteFile?: string;
  /** A Redis URL: use Redis instead of SQLite (several processes). Default `process.env.REDIS_URL`. */
  redisUrl?: string | undefined;
}

/**
 * The shop's cache: a bounded memory tier in front of a shared one — a SQLite file (the
 * embedded default, nothing to run) or Redis when `REDIS_URL` is set.
 */
export async function createShopCache(options: ShopCacheOptions = {}): Promise<{ cache: Cache; shared: string }> {
  const redisUrl = 'redisUrl' in options ? options.redisUrl : process.env.REDIS_URL;
  const shared = redisUrl ? await redisStore(redisUrl) : sqliteStore(options.sqliteFile ?? '.cache/shop.sqlite');
  const cache = createCache({
    namespace: 'shop',
    tiers: [
      { store: memoryStore({ maxEntries: 10_000, maxBytes: '64mb' }), ttl: '30s' },
      { store: shared.store, ttl: '1h' },
    ],
  });
  return { cache, shared: shared.label };
}

function sqliteStore(file: string): { store: CacheStore; label: string } {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  return { store: keyvStore(new KeyvSqlite(`sqlite://${path}`)), label: `SQLite (${path})` };
}

// Loaded only when asked for: a shop on SQLite never loads a Redis client.
async function redisStore(url: string): Promise<{ store: CacheStore; label: string }> {
  const { default: KeyvRedis } = await import('@keyv/redis');
  return { store: keyvStore(new KeyvRedis(url)), label: `Redis (${url.replace(/\/\/[^@]*@/, '//***@')})` };
}
