import { randomUUID } from 'node:crypto';
import { createCache, memoryStore } from '@cachette/core';
import { afterEach, describe, expect, it } from 'vitest';
import { redisBus, redisLock, redisStore } from '../src/index.js';
import { loaderRunsFor, subscribedBus } from './fleet.js';

const REDIS_URL = process.env.REDIS_URL;
const eventually = async (check: () => Promise<boolean>, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe.skipIf(!REDIS_URL)('many processes sharing one Redis', () => {
  const opened: Array<{ disconnect(): Promise<void> }> = [];
  /** Each bus's subscription, confirmed by Redis: a message published after it is heard. */
  const subscribed: Array<Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.disconnect()));
  });

  /** One "process": its own memory tier, its own Redis connections, the shared Redis tier. */
  function node(namespace: string, withLock = false) {
    const url = REDIS_URL as string;
    const lock = withLock ? redisLock({ url }) : undefined;
    const cache = createCache({
      namespace,
      tiers: [{ store: memoryStore(), ttl: '1m' }, { store: redisStore({ url }) }],
      bus: subscribedBus(redisBus({ url, channel: `bus:${namespace}` }), subscribed),
      lock,
      lockTimeout: '5s',
    });
    opened.push(cache);
    if (lock) opened.push(lock);
    return cache;
  }

  it('a write in one process makes the others drop their memory copy', async () => {
    const ns = `bus${randomUUID().slice(0, 8)}`;
    const a = node(ns);
    const b = node(ns);
    await Promise.all(subscribed.splice(0));
    await a.set('k', 'v1');
    expect(await b.get('k')).toBe('v1');
    expect(b.peek('k')).toBe('v1');
    await a.set('k', 'v2');
    await eventually(async () => b.peek('k') === undefined);
    expect(await b.get('k')).toBe('v2');
  });

  it('deleteByTag, expireByTag and clear reach the other processes memory', async () => {
    const ns = `tags${randomUUID().slice(0, 8)}`;
    const a = node(ns);
    const b = node(ns);
    await Promise.all(subscribed.splice(0));
    await a.set('p', 1, { tags: ['product:1'] });
    await a.set('q', 2);
    expect(await b.get('p')).toBe(1);
    expect(await b.get('q')).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await a.deleteByTag('product:1');
    await eventually(async () => b.peek('p') === undefined);
    expect(await b.get('p')).toBeUndefined();
    await a.clear();
    await eventually(async () => b.peek('q') === undefined);
    expect(await b.get('q')).toBeUndefined();
  });

  it('with the Redis lock, one loader runs across processes for a cold key', async () => {
    const ns = `lock${randomUUID().slice(0, 8)}`;
    const nodes = [node(ns, true), node(ns, true), node(ns, true)];
    expect(await loaderRunsFor(nodes)).toBe(1);
  });

  it('a lock waiter that times out runs the loader itself', async () => {
    const url = REDIS_URL as string;
    const lock = redisLock({ url });
    opened.push(lock);
    const release = await lock.acquire('held', { ttl: 10_000, wait: 0 });
    expect(release).toBeTypeOf('function');
    expect(await lock.acquire('held', { ttl: 10_000, wait: 50 })).toBeUndefined();
    await release?.();
    const again = await lock.acquire('held', { ttl: 10_000, wait: 0 });
    expect(again).toBeTypeOf('function');
    await again?.();
  });
});

describe('Redis that is not there', () => {
  it('a bad URL is an error at configuration time', () => {
    expect(() => redisBus({ url: 'http://nope' })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => redisLock({ url: 'not a url' })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });

  it('with the lock and the bus unreachable, a miss still loads within the lock timeout', async () => {
    const url = 'redis://127.0.0.1:1';
    const lock = redisLock({ url });
    const cache = createCache({ tiers: [{ store: memoryStore() }], bus: redisBus({ url }), lock, lockTimeout: '200ms' });
    const errors: string[] = [];
    cache.on('error', ({ operation }) => errors.push(operation));
    const started = Date.now();
    expect(await cache.getOrSet('k', () => 'loaded')).toBe('loaded');
    expect(Date.now() - started).toBeLessThan(3_000);
    await cache.delete('k');
    await eventually(async () => errors.includes('publish'));
    await cache.disconnect();
    await lock.disconnect();
  });
});
