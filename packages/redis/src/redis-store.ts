import { type CacheStore, keyvStore } from '@cachette/core';
import KeyvRedis from '@keyv/redis';

/**
 * The shared Redis tier: `keyvStore` over `@keyv/redis`, named `redis` in events and stats.
 *
 * @example
 * ```ts
 * createCache({ tiers: [{ store: memoryStore(), ttl: '30s' }, { store: redisStore('redis://127.0.0.1:6379'), ttl: '1h' }] })
 * ```
 */
export function redisStore(url: string): CacheStore {
  return keyvStore(new KeyvRedis(url, { throwOnConnectError: false }), { name: 'redis' });
}
