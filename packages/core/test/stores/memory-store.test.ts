import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCache, manualClock, memoryStore } from '../../src/index.js';

describe('memoryStore read by namespace and caller key', () => {
  it('never answers a key that equals another key’s hashed part', async () => {
    const cache = createCache({ tiers: [{ store: memoryStore() }] });
    const long = `long:${'x'.repeat(300)}`;
    const hashed = `#${createHash('sha256').update(long).digest('base64url')}`;
    await cache.set(long, 'long value');
    expect(await cache.get(hashed)).toBeUndefined();
    expect(cache.peek(hashed)).toBeUndefined();
    await cache.set(hashed, 'hash-looking value');
    expect(await cache.get(long)).toBe('long value');
    expect(await cache.get(hashed)).toBe('hash-looking value');
  });

  it('keeps namespaces and versions apart, and clears one namespace with those below it only', async () => {
    const store = memoryStore();
    const root = createCache({ namespace: 'app', tiers: [{ store }] });
    const users = root.namespace('users');
    const other = createCache({ namespace: 'app', version: 2, tiers: [{ store }] });
    await root.set('k', 'root');
    await users.set('k', 'users');
    await other.set('k', 'v2');
    expect([await root.get('k'), await users.get('k'), await other.get('k')]).toEqual(['root', 'users', 'v2']);
    await users.clear();
    expect([await root.get('k'), await users.get('k'), await other.get('k')]).toEqual(['root', undefined, 'v2']);
    await root.clear();
    expect([await root.get('k'), await other.get('k')]).toEqual([undefined, 'v2']);
  });

  it('evicts the least recently read entry first, by count and by bytes', async () => {
    const byCount = createCache({ tiers: [{ store: memoryStore({ maxEntries: 2 }) }] });
    await byCount.set('a', 1);
    await byCount.set('b', 2);
    expect(await byCount.get('a')).toBe(1); // b is now the least recent
    await byCount.set('c', 3);
    expect([await byCount.get('a'), await byCount.get('b'), await byCount.get('c')]).toEqual([1, undefined, 3]);
    const byBytes = createCache({ tiers: [{ store: memoryStore({ maxBytes: 2_000 }) }] });
    for (const key of ['a', 'b', 'c']) await byBytes.set(key, 'x'.repeat(300));
    const { entries = 0, bytes = 0 } = byBytes.stats().tiers[0] ?? {};
    expect(entries).toBe(2);
    expect(bytes).toBeLessThanOrEqual(2_000);
    expect(await byBytes.get('a')).toBeUndefined();
  });

  it('drops an entry at exactly its TTL on the cache clock', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '10s', tiers: [{ store: memoryStore() }] });
    await cache.set('k', 'v');
    await clock.advance(9_999);
    expect(cache.peek('k')).toBe('v');
    await clock.advance(1);
    expect(cache.peek('k')).toBeUndefined();
    expect(cache.stats().tiers[0]?.entries).toBe(0);
  });

  it('keeps an entry’s instants whether its life fits a small integer (compact entry) or not', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1h', tiers: [{ store: memoryStore() }] });
    await cache.set('short', 's', { tags: ['t'] });
    await cache.set('long', 'l', { ttl: '30d' });
    const made = clock.now();
    expect((await cache.getEntry('short'))?.freshUntil).toBe(made + 3_600_000);
    expect((await cache.getEntry('long'))?.freshUntil).toBe(made + 30 * 86_400_000);
    await clock.advance(60_000);
    await cache.expireByTag('t');
    const expired = await cache.getEntry('short');
    expect(expired?.freshUntil).toBeLessThanOrEqual(clock.now());
    expect(await cache.get('short')).toBeUndefined();
    await clock.advance(30 * 86_400_000 - 60_001);
    expect(await cache.get('long')).toBe('l');
    await clock.advance(1);
    expect(await cache.get('long')).toBeUndefined();
  });
});
