import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { localReadsOf } from '../../src/cache/cache.js';
import { createCache, manualClock, memoryStore } from '../../src/index.js';
import { keyvStore } from '../../src/keyv.js';

// The page cache's hit path reads its list and page again by the memory tier's slot (no map
// probe). A ref must never answer for another key, a dropped key, or an entry no longer fresh.
describe('memory tier read by slot (LocalReads, issue 7)', () => {
  const setup = (maxEntries = 100) => {
    const clock = manualClock();
    const cache = createCache({ clock, tiers: [{ store: memoryStore({ maxEntries }) }] });
    const reads = localReadsOf(cache);
    if (reads === undefined) throw new Error('a cache with a memoryStore() first has slot reads');
    return { clock, cache, reads };
  };

  it('answers what peek answers, counted as a hit, while the key keeps its slot (stored again too)', async () => {
    const { cache, reads } = setup();
    await cache.set('a', 1);
    const ref = reads.ref('a');
    expect(ref).toBeDefined();
    if (ref === undefined) return;
    expect(reads.read(ref)).toBe(1);
    await cache.set('a', 2);
    expect(reads.read(ref)).toBe(2);
    expect(cache.stats().hits).toBe(2);
  });

  it('answers nothing once the key is deleted, and never the value of the key that took its slot', async () => {
    const { cache, reads } = setup();
    await cache.set('a', 'for a');
    const ref = reads.ref('a');
    if (ref === undefined) throw new Error('kept');
    await cache.delete('a');
    expect(reads.read(ref)).toBeUndefined();
    await cache.set('b', 'for b'); // reuses the freed slot
    expect(reads.ref('b')?.slot).toBe(ref.slot);
    expect(reads.read(ref)).toBeUndefined();
    expect(cache.stats().hits).toBe(0);
  });

  it('answers nothing for an evicted key whose slot another key took', async () => {
    const { cache, reads } = setup(2);
    await cache.set('a', 'for a');
    const ref = reads.ref('a');
    if (ref === undefined) throw new Error('kept');
    await cache.set('b', 'for b');
    await cache.set('c', 'for c'); // evicts a, the least recent
    expect(cache.peek('a')).toBeUndefined();
    expect(reads.read(ref)).toBeUndefined();
  });

  it('answers nothing once the entry is stale, expired by tag, or its namespace cleared', async () => {
    const { clock, cache, reads } = setup();
    await cache.set('a', 1, { ttl: '10s', tags: ['t'] });
    await cache.set('b', 2, { tags: ['t'] });
    await cache.set('c', 3);
    const [a, b, c] = ['a', 'b', 'c'].map((key) => reads.ref(key));
    if (!a || !b || !c) throw new Error('kept');
    await clock.advance(10_000);
    expect(reads.read(a)).toBeUndefined();
    await cache.expireByTag('t');
    expect(reads.read(b)).toBeUndefined();
    expect(reads.read(c)).toBe(3);
    await cache.clear();
    expect(reads.read(c)).toBeUndefined();
  });

  it('keeps a key read by its slot the most recent: eviction takes the least recent one', async () => {
    const { cache, reads } = setup(2);
    await cache.set('a', 1);
    await cache.set('b', 2);
    const ref = reads.ref('a');
    if (ref === undefined) throw new Error('kept');
    expect(reads.read(ref)).toBe(1);
    await cache.set('c', 3);
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([1, undefined, 3]);
  });

  it('has none for a cache whose first tier is not a memoryStore()', () => {
    expect(localReadsOf(createCache({ tiers: [{ store: keyvStore(new Keyv()) }] }))).toBeUndefined();
    expect(localReadsOf({ peek: () => 1 })).toBeUndefined();
  });
});
