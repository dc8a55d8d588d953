import { randomUUID } from 'node:crypto';
import { type CacheLock, type Duration, parseDuration } from '@cachette/core';
import { connect, type RedisConnection, within } from './connection.js';

/** Options of {@link redisLock}. */
export type RedisLockOptions = RedisConnection & {
  /** Prefix of lock keys. Default `'cachette:lock:'`. */
  prefix?: string;
  /** How often a waiter retries. Default `25` (ms). */
  retryEvery?: Duration;
};

/** Even with `wait: 0`, one attempt gets this long to reach Redis. */
const GRACE_MS = 100;

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
  const retryEvery = parseDuration(options.retryEvery ?? 25, 'redisLock retryEvery');
  const connection = connect(options, 'redisLock');
  return {
    async acquire(key, { ttl, wait }) {
      const deadline = Date.now() + wait;
      // the wait bounds everything, connecting included: a waiter that times out loads itself
      const client = await within(connection.ready, Math.max(wait, GRACE_MS));
      if (!client) return undefined;
      const lockKey = prefix + key;
      const token = randomUUID();
      for (;;) {
        const ok = await within(
          client.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, ttl) } }),
          Math.max(GRACE_MS, deadline - Date.now()),
        );
        if (ok === 'OK') {
          return async () => {
            await client.eval(RELEASE, { keys: [lockKey], arguments: [token] });
          };
        }
        if (Date.now() >= deadline) return undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryEvery, Math.max(1, deadline - Date.now()))));
      }
    },
    disconnect: () => connection.close(),
  };
}
