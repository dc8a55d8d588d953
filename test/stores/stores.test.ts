import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore } from '@cachette/core';
import { keyvStore } from '@cachette/core/keyv';
import { redisStore } from '@cachette/redis';
import KeyvMemcache from '@keyv/memcache';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MEMCACHED_SERVERS, REDIS_URL } from '../helpers/services.js';
import { storeConformance } from './store-conformance.js';

const runner = { describe, test, expect, beforeEach, afterEach };

storeConformance('memoryStore', async () => ({ store: memoryStore({ maxEntries: 1000 }) }), runner);

storeConformance('keyvStore(Keyv in-memory Map)', async () => ({ store: keyvStore(new Keyv()) }), runner);

storeConformance(
  'keyvStore(@keyv/sqlite, a real file)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachette-sqlite-'));
    const store = keyvStore(new KeyvSqlite(`sqlite://${join(dir, 'cache.sqlite')}`));
    return {
      store,
      cleanup: async () => {
        await store.disconnect?.();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  runner,
);

describe.skipIf(!REDIS_URL)('redis', () => {
  storeConformance(
    'redisStore (@cachette/redis, a real redis-server)',
    async () => {
      const store = redisStore({ url: REDIS_URL as string });
      return { store, cleanup: () => store.disconnect?.() ?? Promise.resolve() };
    },
    runner,
  );

  storeConformance(
    'keyvStore(@keyv/redis, a real redis-server)',
    async () => {
      const store = keyvStore(new Keyv({ store: new KeyvRedis(REDIS_URL as string), namespace: 'conformance' }));
      return { store, cleanup: () => store.disconnect?.() ?? Promise.resolve() };
    },
    runner,
  );
});

describe.skipIf(!MEMCACHED_SERVERS)('memcached', () => {
  storeConformance(
    'keyvStore(@keyv/memcache, a real memcached)',
    async () => {
      const store = keyvStore(new KeyvMemcache(MEMCACHED_SERVERS as string));
      return { store, cleanup: () => store.disconnect?.() ?? Promise.resolve() };
    },
    runner,
  );
});
