import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createCache, LoaderTimeoutError, manualClock, memoryStore } from '../src/index.js';
import { keyvStore } from '../src/keyv.js';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('getOrSet', () => {
  it('runs the loader once for 1,000 concurrent callers of a cold key', async () => {
    const cache = createCache();
    let calls = 0;
    const gate = deferred<string>();
    const all = Array.from({ length: 1000 }, () =>
      cache.getOrSet('cold', () => {
        calls++;
        return gate.promise;
      }),
    );
    gate.resolve('v');
    expect(new Set(await Promise.all(all))).toEqual(new Set(['v']));
    expect(calls).toBe(1);
  });

  it('gives every waiter the same error and caches nothing', async () => {
    const cache = createCache();
    let calls = 0;
    const gate = deferred<string>();
    const loader = () => {
      calls++;
      return gate.promise;
    };
    const waiters = [cache.getOrSet('k', loader), cache.getOrSet('k', loader)];
    const boom = new Error('boom');
    gate.reject(boom);
    for (const w of waiters) await expect(w).rejects.toBe(boom);
    expect(calls).toBe(1);
    expect(await cache.getOrSet('k', () => 'ok')).toBe('ok');
  });

  it('serves stale at once and refreshes once in the background (SWR)', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1m', staleWhileRevalidate: '30s' });
    await cache.set('k', 'old');
    await clock.advance(60_000);
    const gate = deferred<string>();
    let calls = 0;
    const loader = () => {
      calls++;
      return gate.promise;
    };
    expect(await cache.getOrSet('k', loader)).toBe('old');
    expect(await cache.getOrSet('k', loader)).toBe('old');
    expect(calls).toBe(1);
    gate.resolve('new');
    await clock.advance(0);
    expect(await cache.getOrSet('k', loader)).toBe('new');
    expect(cache.stats().staleHits).toBe(2);
  });

  it('does not serve past the stale window', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1m', staleWhileRevalidate: '30s' });
    await cache.set('k', 'old');
    await clock.advance(90_000);
    expect(await cache.getOrSet('k', () => 'new')).toBe('new');
  });

  it('answers with the stale value when the loader fails inside stale-if-error', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1m', staleIfError: '1h' });
    const fallbacks: unknown[] = [];
    cache.on('fallback', ({ error }) => fallbacks.push(error));
    await cache.set('k', 'old');
    await clock.advance(30 * 60_000);
    expect(await cache.getOrSet('k', () => Promise.reject(new Error('db down')))).toBe('old');
    expect(fallbacks).toHaveLength(1);
    await clock.advance(31 * 60_000);
    await expect(cache.getOrSet('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
  });

  it('aborts a loader past its hard timeout and rejects with E_LOADER_TIMEOUT', async () => {
    const clock = manualClock();
    const cache = createCache({ clock });
    let signal: AbortSignal | undefined;
    const result = cache.getOrSet(
      'slow',
      (ctx) => {
        signal = ctx.signal;
        return new Promise(() => undefined);
      },
      { hardTimeout: '2s' },
    );
    const settled = expect(result).rejects.toMatchObject({ code: 'E_LOADER_TIMEOUT' });
    await clock.advance(2_000);
    await settled;
    await expect(result).rejects.toBeInstanceOf(LoaderTimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('answers stale after the soft timeout and stores the late value', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1m', staleIfError: '1h' });
    await cache.set('k', 'old');
    await clock.advance(61_000);
    const gate = deferred<string>();
    const result = cache.getOrSet('k', () => gate.promise, { softTimeout: '100ms' });
    await clock.advance(100);
    expect(await result).toBe('old');
    gate.resolve('late');
    await clock.advance(0);
    expect(await cache.get('k')).toBe('late');
  });

  it('lets the loader set its TTL and tags, or skip the store', async () => {
    const clock = manualClock();
    const cache = createCache({ clock });
    await cache.getOrSet('a', (ctx) => {
      ctx.setTtl('10s');
      ctx.setTags(['t']);
      return 1;
    });
    expect(await cache.get('a')).toBe(1);
    await cache.deleteByTag('t');
    expect(await cache.get('a')).toBeUndefined();
    await cache.getOrSet('b', (ctx) => {
      ctx.noStore();
      return 2;
    });
    expect(await cache.has('b')).toBe(false);
    await cache.getOrSet('c', (ctx) => {
      ctx.setTtl('10s');
      return 3;
    });
    await clock.advance(10_000);
    expect(await cache.get('c')).toBeUndefined();
  });

  it('gives the loader the stale value it replaces', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1s', staleWhileRevalidate: '1m' });
    await cache.set('n', 1);
    await clock.advance(1_000);
    let seen: unknown;
    await cache.getOrSet('n', (ctx) => {
      seen = ctx.stale;
      return 2;
    });
    expect(seen).toBe(1);
  });

  it('applies TTL jitter by shortening, never lengthening', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '100s', jitter: 0.5 });
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, i);
    await clock.advance(49_999);
    expect((await cache.getMany(Array.from({ length: 20 }, (_, i) => `k${i}`))).every((v) => v !== undefined)).toBe(true);
    await clock.advance(50_001);
    expect((await cache.getMany(Array.from({ length: 20 }, (_, i) => `k${i}`))).every((v) => v === undefined)).toBe(true);
  });

  it('coalesces through a shared tier too', async () => {
    const cache = createCache({ tiers: [{ store: memoryStore() }, { store: keyvStore(new Keyv()) }] });
    let calls = 0;
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.getOrSet('x', async () => ++calls)));
    expect(results.every((r) => r === 1)).toBe(true);
    expect(calls).toBe(1);
  });
});
