import { type Cache, type CacheBus, type CacheLock, type CacheStore, createCache, memoryStore } from '@cachette/core';
import { expect } from 'vitest';
import { type RedisConnection, redisBus, redisLock, redisStore } from '../src/index.js';

/** Polls until `check` is true, for things that happen on a real server's own time. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Caches that stand for processes of one fleet: each its own memory tier and connections. */
export class Fleet {
  readonly #opened: Array<{ disconnect(): Promise<void> }> = [];
  readonly #connecting: Array<Promise<unknown>> = [];

  constructor(readonly connection: RedisConnection) {}

  /** One "process": memory, the shared tier, the bus, and the lock when asked. */
  node(namespace: string, { lock = false, memory = true } = {}): Cache {
    const redisLockInstance = lock ? redisLock(this.connection) : undefined;
    const store = redisStore(this.connection);
    this.#connecting.push(warm(store, redisLockInstance).catch(() => undefined));
    const cache = createCache({
      namespace,
      tiers: [...(memory ? [{ store: memoryStore(), ttl: '1m' }] : []), { store, timeout: '2s' }],
      bus: subscribedBus(redisBus({ ...this.connection, channel: `bus:${namespace}` }), this.#connecting),
      lock: redisLockInstance,
      lockTimeout: '5s',
      circuitBreaker: { failures: 3, duration: '200ms' },
    });
    this.#opened.push(cache);
    if (redisLockInstance) this.#opened.push(redisLockInstance);
    return cache;
  }

  /**
   * Resolves once every store and lock made so far has connected (a sentinel set takes ~1 s) and
   * every bus has its subscription confirmed by Redis, so that a message published next is heard.
   */
  async ready(): Promise<void> {
    await Promise.all(this.#connecting.splice(0));
  }

  async close(): Promise<void> {
    await Promise.all(this.#opened.splice(0).map((c) => c.disconnect()));
  }
}

/**
 * Requests through `cache` while `during` runs (a failover): every one must answer. Resolves to
 * how many ran and how many threw.
 */
export async function underLoad(cache: Cache, during: () => Promise<void>): Promise<{ requests: number; thrown: number }> {
  let stop = false;
  let requests = 0;
  let thrown = 0;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      requests++;
      try {
        const value = await cache.getOrSet(`load:${w}:${i % 40}`, () => `v${i % 40}`);
        if (value !== `v${i % 40}`) thrown++;
      } catch {
        thrown++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const workers = [0, 1, 2, 3].map(worker);
  try {
    await during();
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  return { requests, thrown };
}

/** Runs 20 concurrent `getOrSet` of one cold key on each cache; resolves to how many loaders ran. */
export async function loaderRunsFor(nodes: Cache[]): Promise<number> {
  let calls = 0;
  const loader = async () => {
    calls++;
    await new Promise((resolve) => setTimeout(resolve, 100));
    return 'v';
  };
  const results = await Promise.all(nodes.flatMap((cache) => Array.from({ length: 20 }, () => cache.getOrSet('cold', loader))));
  if (!results.every((r) => r === 'v')) throw new Error('a request did not get the loaded value');
  return calls;
}

/**
 * The real bus, unchanged but for one thing: once the cache has subscribed it and Redis has
 * confirmed the subscription, the promise pushed on `into` resolves (a message published after
 * that is heard). Tests wait on it instead of sleeping.
 */
export function subscribedBus(bus: CacheBus, into: Array<Promise<unknown>>): CacheBus {
  const subscribe = bus.subscribe.bind(bus);
  into.push(
    new Promise<void>((confirmed) => {
      bus.subscribe = async (handler) => {
        try {
          await subscribe(handler);
        } finally {
          confirmed(); // a failed subscription is reported by the cache; the test then fails on what it checks
        }
      };
    }),
  );
  return bus;
}

async function warm(store: CacheStore, lock: CacheLock | undefined): Promise<void> {
  await store.get('cachette:warm-up');
  const release = await lock?.acquire('cachette:warm-up', { ttl: 1_000, wait: 10_000 });
  await release?.();
}

/**
 * Two "processes" on one bus; the subscriptions are cut by `cut` (servers stay up). Each must
 * drop what its memory holds once subscribed again (messages may have been missed), and then
 * hear the next purge. Resolves to the ms from the cut to the drop.
 */
export async function resyncAfterCut(fleet: Fleet, ns: string, cut: () => number): Promise<number> {
  const [a, b] = [fleet.node(ns), fleet.node(ns)];
  await fleet.ready();
  await a.set('p', 'old');
  expect(await b.get('p')).toBe('old');
  expect(b.peek('p')).toBe('old');
  const cutAt = performance.now();
  expect(cut()).toBeGreaterThan(0);
  await eventually(() => b.peek('p') === undefined, 10_000);
  const dropped = performance.now() - cutAt;
  // subscribed again: the next purge is heard
  expect(await b.get('p')).toBe('old');
  expect(b.peek('p')).toBe('old');
  await new Promise((resolve) => setTimeout(resolve, 2));
  await a.set('p', 'new');
  await eventually(() => b.peek('p') === undefined, 5_000);
  expect(await b.get('p')).toBe('new');
  return dropped;
}
