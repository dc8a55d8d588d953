import { randomUUID } from 'node:crypto';
import type { CacheLock } from '@cachette/core';
import { connect, type RedisConnection } from './connection.js';

/** Options of {@link redisLock}. */
export type RedisLockOptions = RedisConnection & {
  /** Prefix of lock keys. Default `'cachette:lock:'`. */
  prefix?: string;
  /** How often a waiter retries, in ms. Default `25`. */
  retryEvery?: number;
};

// Delete the lock only if it is still ours (it may have expired and been taken by another).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * One loader per key across a cluster: `SET key token NX PX ttl`, released only by its owner.
 * A waiter that does not get the lock within `wait` ms goes on and loads itself.
 *
 * @example
 * ```ts
 * const cache = createCache({ tiers, lock: redisLock({ url: process.env.REDIS_URL }), lockTimeout: '5s' })
 * ```
 */
export function redisLock(options: RedisLockOptions): CacheLock & { disconnect(): Promise<void> } {
  const prefix = options.prefix ?? 'cachette:lock:';
  const retryEvery = options.retryEvery ?? 25;
  const connection = connect(options);
  return {
    async acquire(key, { ttl, wait }) {
      const { client } = await connection;
      const lockKey = prefix + key;
      const token = randomUUID();
      const deadline = Date.now() + wait;
      for (;;) {
        const ok = await client.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, ttl) } });
        if (ok === 'OK') {
          return async () => {
            await client.eval(RELEASE, { keys: [lockKey], arguments: [token] });
          };
        }
        if (Date.now() >= deadline) return undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryEvery, Math.max(1, deadline - Date.now()))));
      }
    },
    async disconnect() {
      const { client, owned } = await connection;
      if (owned) await client.close();
    },
  };
}
