import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createCache, manualClock, memoryStore } from '../../src/index.js';
import { keyvStore } from '../../src/keyv.js';
import { localTier } from '../../src/stores/memory-store.js';

// The memory tier keeps an entry unpacked (its value in the LRU's value array, its instants in the
// slot's numbers) and answers a fresh hit without an entry object: these pin that every rule a
// stored entry carried still holds in that layout.
describe('memory tier entries kept unpacked', () => {
  const setup = (options: Parameters<typeof createCache>[0] = {}) => {
    const clock = manualClock();
    const cache = createCache({ clock, tiers: [{ store: memoryStore() }], ...options });
    return { clock, cache };
  };

  it('is fresh until exactly its TTL, served stale within staleWhileRevalidate, then gone', async () => {
    const { clock, cache } = setup({ ttl: '10s', staleWhileRevalidate: '5s' });
    await cache.set('k', 'v1');
    await clock.advance(9_999);
    expect([await cache.get('k'), cache.peek('k'), await cache.getOrSet('k', () => 'x')]).toEqual(['v1', 'v1', 'v1']);
    await clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.peek('k')).toBeUndefined();
    let loads = 0;
    const refresh = () => {
      loads++;
      return 'v2';
    };
    expect(await cache.getOrSet('k', refresh)).toBe('v1'); // stale, refreshed in the background
    await clock.advance(0);
    expect(loads).toBe(1);
    expect(await cache.get('k')).toBe('v2');
    await clock.advance(15_000);
    expect(await cache.getEntry('k')).toBeUndefined();
    expect(await cache.getOrSet('k', () => 'v3')).toBe('v3');
  });

  it('stands in for a failing loader within staleIfError, and not after it', async () => {
    const { clock, cache } = setup({ ttl: '10s', staleIfError: '20s' });
    await cache.set('k', 'kept');
    await clock.advance(10_000);
    const failing = () => {
      throw new Error('down');
    };
    expect(await cache.getOrSet('k', failing)).toBe('kept');
    expect(cache.stats().fallbacks).toBe(1);
    await clock.advance(20_000);
    await expect(cache.getOrSet('k', failing)).rejects.toThrow('down');
  });

  it('keeps createdAt and the deadlines a getEntry reads, short lives and lives past small integers alike', async () => {
    const { clock, cache } = setup({ ttl: '1m' });
    const made = clock.now();
    await cache.set('short', 1, { ttl: '2s', staleWhileRevalidate: '3s' });
    await cache.set('long', 2, { ttl: '400d' });
    expect(await cache.getEntry('short')).toEqual({ value: 1, freshUntil: made + 2_000 });
    expect(await cache.getEntry('long')).toEqual({ value: 2, freshUntil: made + 400 * 86_400_000 });
    await clock.advance(2_000);
    // stale but kept: getEntry answers it with its deadline in the past
    expect(await cache.getEntry('short')).toEqual({ value: 1, freshUntil: made + 2_000 });
  });

  it('applies deleteByTag and expireByTag to memory hits', async () => {
    const { clock, cache } = setup({ ttl: '1m', staleWhileRevalidate: '1m' });
    await cache.set('a', 'A', { tags: ['t1'] });
    await cache.set('b', 'B', { tags: ['t2'] });
    await cache.set('c', 'C');
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual(['A', 'B', 'C']);
    await clock.advance(1_000);
    await cache.deleteByTag('t1');
    await cache.expireByTag('t2');
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.getEntry('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
    expect(cache.peek('b')).toBeUndefined();
    expect((await cache.getEntry('b'))?.freshUntil).toBeLessThanOrEqual(clock.now());
    expect(await cache.getOrSet('b', () => 'B2')).toBe('B'); // stale within its window, refreshed
    await clock.advance(0);
    expect(await cache.get('b')).toBe('B2');
    expect(await cache.get('c')).toBe('C');
  });

  it('counts a memory hit in the stats and emits its hit event', async () => {
    const { cache } = setup({ ttl: '1m' });
    const hits: unknown[] = [];
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');
    cache.on('hit', (event) => hits.push(event));
    expect(await cache.getOrSet('k', () => 'x')).toBe('v');
    expect(cache.peek('k')).toBe('v');
    expect(await cache.get('missing')).toBeUndefined();
    const stats = cache.stats();
    expect(stats.hits).toBe(3);
    expect(stats.misses).toBe(1);
    expect(stats.tiers[0]).toMatchObject({ reads: 4, hits: 3 });
    expect(hits).toEqual([
      { key: 'k', tier: 0, stale: false },
      { key: 'k', tier: 0, stale: false },
    ]);
  });

  it('finds a key read with another string of the same characters, and long keys kept under their hash', async () => {
    const { cache } = setup({ ttl: '1m' });
    const id = 42;
    await cache.set(`user:${id}`, 'u');
    expect(await cache.get(['user', String(id)].join(':'))).toBe('u');
    const long = `page:${'x'.repeat(200)}`;
    await cache.set(long, 'p');
    expect(await cache.get(`page:${'x'.repeat(200)}`)).toBe('p');
    expect(cache.peek(long)).toBe('p');
    expect(await cache.getOrSet(long, () => 'other')).toBe('p');
  });

  it('answers a value back-filled from a shared tier from memory, with the shared entry’s instants', async () => {
    const clock = manualClock();
    const shared = keyvStore(new Keyv());
    const writer = createCache({ clock, ttl: '10s', tiers: [{ store: shared }] });
    const reader = createCache({ clock, ttl: '10s', tiers: [{ store: memoryStore() }, { store: shared }] });
    await writer.set('k', { n: 1 });
    await clock.advance(4_000);
    expect(await reader.get('k')).toEqual({ n: 1 });
    await clock.advance(0);
    expect(await reader.get(['k'].join(''))).toEqual({ n: 1 });
    expect(reader.stats().tiers.map((tier) => tier.hits)).toEqual([1, 1]);
    await clock.advance(6_000); // ten seconds after the writer made it, not after the back-fill
    expect(reader.peek('k')).toBeUndefined();
    expect(await reader.get('k')).toBeUndefined();
  });

  it('finds a namespace’s keys again after its last key left and it was filled anew', async () => {
    const { cache } = setup({ ttl: '1m' });
    const users = cache.namespace('users');
    await users.set('a', 1);
    expect(await users.get('a')).toBe(1);
    await users.delete('a'); // the namespace's group is now empty and let go
    await users.set('a', 3);
    expect([await users.get('a'), users.peek('a'), await users.getOrSet('a', () => 0)]).toEqual([3, 3, 3]);
  });

  it('the fast read finds a group filled anew (the last group read is not kept past its last key)', () => {
    const clock = manualClock(0);
    const store = memoryStore({ clock });
    const tier = localTier(store);
    if (tier === undefined) throw new Error('memoryStore() is a local tier');
    const entry = (value: unknown) => ({
      value,
      createdAt: 0,
      freshUntil: 60_000,
      staleUntil: 60_000,
      staleIfErrorUntil: 60_000,
      tags: [],
    });
    tier.setEntry('users/k:a', entry(1), 60_000, 'a');
    expect(tier.freshIn('users/k:', 'a', 0)).toBe(1);
    store.delete('users/k:a'); // the group's last key: the group is let go
    tier.setEntry('users/k:a', entry(3), 60_000, 'a');
    expect(tier.freshIn('users/k:', 'a', 0)).toBe(3);
  });

  it('still keeps any value as it is when used as a plain store', async () => {
    const store = memoryStore();
    store.set('raw', { any: 'shape', freshUntil: 0 }, 60_000);
    expect(store.get('raw')).toEqual({ any: 'shape', freshUntil: 0 });
    const cache = createCache({ tiers: [{ store }] });
    await cache.set('k', 'v', { tags: ['t'] });
    expect(await cache.get('k')).toBe('v');
    expect(store.usage?.().entries).toBe(2);
  });
});
