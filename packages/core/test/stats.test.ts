import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createCache, manualClock, memoryStore } from '../src/index.js';
import { keyvStore } from '../src/keyv.js';

describe('stats() answers sizing questions (issue 9)', () => {
  it('entries and bytes the memory tier holds, hit ratio per tier, loads and their time, stale answers, breaker state', async () => {
    const clock = manualClock(1_000_000);
    const cache = createCache({
      clock,
      tiers: [{ store: memoryStore({ maxEntries: 100 }), ttl: '10s' }, { store: keyvStore(new Keyv()) }],
      ttl: '1m',
      staleWhileRevalidate: '1m',
      staleIfError: '1h',
    });
    const empty = cache.stats();
    expect(empty).toMatchObject({ hitRatio: 0, loads: 0, loadTime: { total: 0, average: 0, max: 0 }, staleAnswers: 0 });
    expect(empty.tiers[0]).toMatchObject({ name: 'memory', entries: 0, bytes: 0, reads: 0, hitRatio: 0, circuit: 'closed' });
    expect(empty.tiers[1]).toMatchObject({ entries: undefined, bytes: undefined, circuit: 'closed' });

    const slow = (ms: number, value: string) => async () => {
      await clock.advance(ms);
      return value;
    };
    await cache.getOrSet('a', slow(30, 'x'.repeat(100)));
    await cache.getOrSet('b', slow(10, 'y'));
    let s = cache.stats();
    expect(s.loads).toBe(2);
    expect(s.loadTime).toEqual({ total: 40, average: 20, max: 30 });
    expect(s.tiers[0]?.entries).toBe(2);
    // 100 characters of UTF-16 and more: the estimate counts the value and its key
    expect(s.tiers[0]?.bytes).toBeGreaterThan(200);

    await cache.get('a'); // memory hit
    await clock.advance(10_001); // past the memory tier's cap, still fresh below
    await cache.get('a'); // memory miss, shared hit, back-filled
    s = cache.stats();
    expect(s.tiers[0]).toMatchObject({ reads: 4, hits: 1, hitRatio: 0.25 });
    expect(s.tiers[1]).toMatchObject({ reads: 3, hits: 1 });
    expect(s.hitRatio).toBeCloseTo(2 / 4);

    await clock.advance(60_000); // stale now: answered stale, one refresh
    expect(await cache.getOrSet('b', () => 'y2')).toBe('y');
    await cache
      .getOrSet('a', () => {
        throw new Error('down');
      })
      .catch(() => undefined);
    s = cache.stats();
    expect(s.staleHits).toBeGreaterThanOrEqual(1);
    expect(s.staleAnswers).toBe(s.staleHits + s.fallbacks);
    expect(s.staleAnswers).toBeGreaterThanOrEqual(1);
  });

  it('getEntry, the page cache’s read, counts the memory tier’s read with its hit: a ratio never above 1', async () => {
    const cache = createCache({ clock: manualClock() });
    await cache.set('page', 'p');
    expect(await cache.getEntry('page')).toMatchObject({ value: 'p' });
    expect(await cache.getEntry('absent')).toBeUndefined();
    expect(cache.stats().tiers[0]).toMatchObject({ reads: 2, hits: 1, hitRatio: 0.5 });
  });
});
