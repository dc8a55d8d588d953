import { randomUUID } from 'node:crypto';
import { type Cache, createCache, manualClock, memoryStore } from '@cachette/core';
import { afterEach, expect, it } from 'vitest';
import { type RedisConnection, redisStore } from '../../src/index.js';

/**
 * Tag marks written by processes that did not hear each other (no bus, or a bus message lost):
 * the mark in Redis merges, it is never overwritten, so a hard purge is never undone by a soft
 * one written later by another process.
 */
export function markMergeSuite(connection: () => RedisConnection): void {
  const open: Cache[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.disconnect()));
  });
  // the mark as Redis holds it, read through a store of its own (on a cluster, in its hash-tagged key)
  const raw = async (key: string) => {
    const store = redisStore(connection());
    try {
      return await store.get(key);
    } finally {
      await store.disconnect?.();
    }
  };

  // one clock for all: the test orders the purges; no bus, so no process hears another's purge
  const clock = manualClock(Date.now());
  function process(namespace: string, memory = false, own = clock): Cache {
    const cache = createCache({
      namespace,
      tiers: [...(memory ? [{ store: memoryStore(), ttl: '30s' }] : []), { store: redisStore(connection()) }],
      ttl: '1h',
      staleWhileRevalidate: '1h',
      clock: own,
    });
    open.push(cache);
    return cache;
  }

  it('an expireByTag written after another process deleteByTag does not undo it', async () => {
    const ns = `mark${randomUUID().slice(0, 8)}`;
    const [a, b] = [process(ns), process(ns)];
    await a.set('p', 'old', { tags: ['product:1'] });
    await clock.advance(5);
    await a.deleteByTag('product:1');
    await clock.advance(5);
    await b.expireByTag('product:1'); // B never heard of A's hard purge
    const late = process(ns, true);
    expect(await late.get('p')).toBeUndefined();
    expect(await b.get('p')).toBeUndefined();
    const mark = await raw(`${ns}@1/t:product:1`);
    expect(mark).toEqual({ d: clock.now() - 5, x: clock.now() });
  });

  it('the latest time wins per kind, whichever process wrote last (clocks that disagree)', async () => {
    const ns = `mark${randomUUID().slice(0, 8)}`;
    // B's clock runs 10 ms behind A's, as another machine's may
    const behind = manualClock(clock.now() - 10);
    const [a, b] = [process(ns), process(ns, false, behind)];
    await a.set('p', 'old', { tags: ['t'] });
    await clock.advance(5);
    await behind.advance(5);
    await a.expireByTag('t');
    await a.deleteByTag('u');
    await b.expireByTag('t'); // later in real order, earlier by its clock
    await b.deleteByTag('u');
    expect(await raw(`${ns}@1/t:t`)).toEqual({ d: 0, x: clock.now() });
    expect(await raw(`${ns}@1/t:u`)).toEqual({ d: clock.now(), x: 0 });
  });

  it('concurrent purges from many processes: the hard one always survives', async () => {
    const ns = `mark${randomUUID().slice(0, 8)}`;
    const writers = Array.from({ length: 8 }, () => process(ns));
    await writers[0]?.set('p', 'old', { tags: ['t'] });
    await clock.advance(5);
    const hardAt = clock.now();
    // one hard purge among seven soft ones, all at once, each process knowing only its own
    await Promise.all(writers.map((cache, i) => (i === 3 ? cache.deleteByTag('t') : cache.expireByTag('t'))));
    const mark = await raw(`${ns}@1/t:t`);
    expect(mark).toEqual({ d: hardAt, x: hardAt });
    expect(await process(ns, true).get('p')).toBeUndefined();
  });
}
