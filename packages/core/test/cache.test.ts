import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import {
  type CacheStore,
  createCache,
  fragmentKey,
  InvalidOptionError,
  manualClock,
  memoryStore,
  SerializationError,
} from '../src/index.js';
import { keyvStore } from '../src/keyv.js';

/** A real Keyv store (in-memory Map) whose writes we can read back, to see TTLs handed down. */
function recordingKeyv() {
  const ttls = new Map<string, number>();
  const inner = keyvStore(new Keyv());
  const recorded: CacheStore = {
    name: 'recorded',
    shared: true,
    get: (key) => inner.get(key),
    delete: (key) => inner.delete(key),
    set: (key, value, ttl) => {
      ttls.set(key, ttl);
      return inner.set(key, value, ttl);
    },
  };
  return { store: recorded, ttls };
}

describe('configuration errors', () => {
  it.each([
    [{ ttl: 'soon' }, 'E_INVALID_DURATION'],
    [{ ttl: -1 }, 'E_INVALID_DURATION'],
    [{ staleWhileRevalidate: Number.NaN }, 'E_INVALID_DURATION'],
    [{ tiers: [] }, 'E_INVALID_OPTION'],
    [{ tiers: [{ store: {} }] }, 'E_INVALID_OPTION'],
    [{ tiers: [{ store: memoryStore(), ttl: 0 }] }, 'E_INVALID_OPTION'],
    [{ namespace: 'has space' }, 'E_INVALID_OPTION'],
    [{ namespace: 'a/b' }, 'E_INVALID_OPTION'],
    [{ version: 1.5 }, 'E_INVALID_OPTION'],
    [{ jitter: 2 }, 'E_INVALID_OPTION'],
    [{ circuitBreaker: { failures: 0 } }, 'E_INVALID_OPTION'],
    [{ bus: { publish() {} } }, 'E_INVALID_OPTION'],
  ])('createCache(%j) throws %s', (options, code) => {
    expect(() => createCache(options as never)).toThrow(expect.objectContaining({ code, name: 'InvalidOptionError' }));
  });

  it('names the option and prefixes the package in messages', () => {
    expect(() => createCache({ ttl: '5 minutes' })).toThrow(/^\[cachette:core\] ttl: "5 minutes" is not a duration/);
  });

  it('rejects bad keys and tags with E_INVALID_KEY / E_INVALID_OPTION', async () => {
    const cache = createCache();
    await expect(cache.get('')).rejects.toMatchObject({ code: 'E_INVALID_KEY' });
    await expect(cache.set(42 as never, 1)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(cache.set('k', 1, { tags: [''] })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    await expect(cache.set('k', 1, { ttl: '1 fortnight' })).rejects.toMatchObject({ code: 'E_INVALID_DURATION' });
    await expect(cache.getOrSet('k', 'nope' as never)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
  });

  it('refuses values a shared tier cannot hold, before writing any tier', async () => {
    const cache = createCache({ tiers: [{ store: memoryStore() }, { store: keyvStore(new Keyv()) }] });
    const reported: unknown[] = [];
    cache.on('error', ({ error, key }) => reported.push([(error as { code?: string }).code, key]));
    await expect(cache.set('f', { fn: () => 1 })).rejects.toMatchObject({ code: 'E_NOT_SERIALIZABLE' });
    expect(reported).toEqual([['E_NOT_SERIALIZABLE', 'f']]);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(cache.set('c', circular)).rejects.toBeInstanceOf(SerializationError);
    class Money {
      constructor(readonly cents: number) {}
    }
    await expect(cache.set('m', new Money(1))).rejects.toMatchObject({ code: 'E_NOT_SERIALIZABLE' });
    expect(await cache.get('f')).toBeUndefined();
  });

  it('keeps an own __proto__ key as data through a shared tier, never as a prototype', async () => {
    const cache = createCache({ tiers: [{ store: keyvStore(new Keyv()) }] });
    const hostile = JSON.parse('{"name":"x","__proto__":{"isAdmin":true},"nested":[{"__proto__":{"polluted":1}}]}');
    await cache.set('h', hostile);
    const back = (await cache.get('h')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect((back as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(JSON.stringify(back)).toBe(JSON.stringify(hostile));
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });

  it('leaves the caller options untouched', () => {
    const options = Object.freeze({ ttl: '1m', tiers: Object.freeze([Object.freeze({ store: memoryStore() })]) });
    expect(() => createCache(options)).not.toThrow();
  });
});

describe('basic operations', () => {
  it('get/set/has/delete/touch with TTL on the injected clock', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1m' });
    await cache.set('a', { n: 1 });
    expect(await cache.get('a')).toEqual({ n: 1 });
    expect(cache.peek('a')).toEqual({ n: 1 });
    await clock.advance(59_000);
    expect(await cache.touch('a', '1m')).toBe(true);
    await clock.advance(59_000);
    expect(await cache.has('a')).toBe(true);
    await clock.advance(1_000);
    expect(await cache.has('a')).toBe(false);
    expect(cache.peek('a')).toBeUndefined();
    expect(await cache.touch('a')).toBe(false);
    await cache.set('b', 2);
    expect(await cache.delete('b')).toBe(true);
    expect(await cache.delete('b')).toBe(false);
  });

  it('namespaces and versions keep keys apart; clear is scoped', async () => {
    const store = keyvStore(new Keyv());
    const v1 = createCache({ namespace: 'shop', version: 1, tiers: [{ store }] });
    const v2 = createCache({ namespace: 'shop', version: 2, tiers: [{ store }] });
    const users = v1.namespace('users');
    await v1.set('k', 'v1');
    await v2.set('k', 'v2');
    await users.set('k', 'user');
    expect([await v1.get('k'), await v2.get('k'), await users.get('k')]).toEqual(['v1', 'v2', 'user']);
    await users.clear();
    expect([await v1.get('k'), await users.get('k')]).toEqual(['v1', undefined]);
    await users.set('k', 'user');
    await v1.clear();
    expect([await v1.get('k'), await users.get('k'), await v2.get('k')]).toEqual([undefined, undefined, 'v2']);
  });

  it('keeps store keys short and printable under deep namespaces and odd keys', async () => {
    const l2 = recordingKeyv();
    let cache = createCache({ namespace: 'n'.repeat(64), tiers: [{ store: l2.store }] });
    for (let i = 0; i < 5; i++) cache = cache.namespace('c'.repeat(64));
    await cache.set(`${'k'.repeat(500)} \u0000\n`, 1);
    await cache.set('short', 2);
    expect(await cache.get('short')).toBe(2);
    for (const key of l2.ttls.keys()) {
      expect(key.length).toBeLessThanOrEqual(210);
      expect(key).toMatch(/^[\x21-\x7e]+$/);
    }
  });

  it('fragments vary on their values, unambiguously', async () => {
    const cache = createCache();
    let renders = 0;
    const render = () => `html${++renders}`;
    expect(await cache.fragment('sidebar', ['ab', ''], render)).toBe('html1');
    expect(await cache.fragment('sidebar', ['a', 'b'], render)).toBe('html2');
    expect(await cache.fragment('sidebar', ['ab', ''], render)).toBe('html1');
    expect(fragmentKey('sidebar', ['ab', ''])).not.toBe(fragmentKey('sidebar', ['a', 'b']));
    await cache.delete(fragmentKey('sidebar', ['ab', '']));
    expect(await cache.fragment('sidebar', ['ab', ''], render)).toBe('html3');
  });

  it('counts hits and misses and emits typed events, also on diagnostics_channel', async () => {
    const cache = createCache();
    const seen: string[] = [];
    cache.on('hit', ({ key, tier }) => seen.push(`hit:${key}:${tier}`));
    cache.on('miss', ({ key }) => seen.push(`miss:${key}`));
    const published: unknown[] = [];
    const onHit = (message: unknown) => published.push(message);
    subscribe('cachette:hit', onHit);
    await cache.get('x');
    await cache.set('x', 1);
    await cache.get('x');
    unsubscribe('cachette:hit', onHit);
    expect(seen).toEqual(['miss:x', 'hit:x:0']);
    expect(published).toEqual([{ key: 'x', tier: 0, stale: false }]);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, sets: 1 });
  });
});

describe('tiers', () => {
  it('back-fills upper tiers with the remaining TTL, capped by the tier', async () => {
    const clock = manualClock();
    const l2 = recordingKeyv();
    const l1 = memoryStore();
    const writer = createCache({ clock, tiers: [{ store: l2.store }], ttl: '10m' });
    await writer.set('k', 'v');
    expect(l2.ttls.get([...l2.ttls.keys()][0] as string)).toBe(600_000);
    await clock.advance(9 * 60_000);
    const reader = createCache({
      clock,
      tiers: [
        { store: l1, ttl: '5m' },
        { store: l2.store, ttl: '1h' },
      ],
      ttl: '10m',
    });
    expect(await reader.get('k')).toBe('v');
    await clock.advance(0);
    expect(reader.stats().tiers.map((t) => t.hits)).toEqual([0, 1]);
    expect(await reader.get('k')).toBe('v');
    expect(reader.stats().tiers.map((t) => t.hits)).toEqual([1, 1]);
    await clock.advance(60_000);
    expect(await reader.get('k')).toBeUndefined();
  });

  it('a tier never keeps an entry longer than its cap', async () => {
    const clock = manualClock();
    const l2 = recordingKeyv();
    const cache = createCache({
      clock,
      tiers: [
        { store: memoryStore(), ttl: '30s' },
        { store: l2.store, ttl: '1h' },
      ],
      ttl: '1d',
    });
    await cache.set('k', 'v');
    expect([...l2.ttls.values()]).toEqual([3_600_000]);
    await clock.advance(30_000);
    expect(cache.peek('k')).toBeUndefined();
    expect(await cache.get('k')).toBe('v');
  });

  it('deletes and tags reach every tier', async () => {
    const clock = manualClock();
    const shared = keyvStore(new Keyv());
    const a = createCache({ clock, tiers: [{ store: memoryStore() }, { store: shared }] });
    const b = createCache({ clock, tiers: [{ store: memoryStore() }, { store: shared }] });
    await a.set('p', 1, { tags: ['product:1'] });
    expect(await b.get('p')).toBe(1);
    await clock.advance(1);
    await a.deleteByTag('product:1');
    expect(await a.get('p')).toBeUndefined();
    // b still holds p in its own memory tier until a bus tells it; its shared tier is clean
    await clock.advance(1_000);
    const fresh = createCache({ clock, tiers: [{ store: memoryStore() }, { store: shared }] });
    expect(await fresh.get('p')).toBeUndefined();
  });

  it('bounds the memory tier by entries and by bytes', async () => {
    const byCount = createCache({ tiers: [{ store: memoryStore({ maxEntries: 2 }) }] });
    await byCount.setMany([
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
      { key: 'c', value: 3 },
    ]);
    expect(await byCount.getMany(['a', 'b', 'c'])).toEqual([undefined, 2, 3]);
    const byBytes = createCache({ tiers: [{ store: memoryStore({ maxBytes: '4kb' }) }] });
    for (let i = 0; i < 10; i++) await byBytes.set(`k${i}`, 'x'.repeat(1000));
    const kept = (await byBytes.getMany(Array.from({ length: 10 }, (_, i) => `k${i}`))).filter(Boolean);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(3);
    expect(() => memoryStore({ maxEntries: 0 })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => memoryStore({ maxBytes: 'lots' })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });
});
