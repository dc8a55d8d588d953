import { type CacheStore, createCache, manualClock, memoryStore } from '@cachette/core';
import { chaosStore } from '../helpers/chaos-store.js';

/** What the suite needs from a test runner: vitest, jest and node:test all fit. */
export interface Runner {
  describe: (name: string, body: () => void) => void;
  test: (name: string, body: () => Promise<void>) => void;
  expect: (value: unknown) => {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toBeUndefined(): void;
    toBeLessThanOrEqual(n: number): void;
    toMatch(re: RegExp): void;
  };
  beforeEach?: (fn: () => Promise<void> | void) => void;
  afterEach?: (fn: () => Promise<void> | void) => void;
}

/** Makes a fresh store for one test, and what to call after it. */
export type StoreFactory = () => Promise<{ store: CacheStore; cleanup?: () => Promise<void> }>;

const VALUES: Array<[string, unknown]> = [
  ['a string', 'héllo ✓ 🙂'],
  ['an empty string', ''],
  ['zero', 0],
  ['a float', -12.5],
  ['false', false],
  ['null', null],
  ['an array', [1, 'two', { three: [3] }, null]],
  ['a nested object', { a: { b: { c: [true, { d: 'e' }] } }, $t: 'not a box' }],
  ['a Date', new Date('2026-11-28T10:00:00.123Z')],
  ['a Buffer', Buffer.from([0, 1, 2, 253, 254, 255])],
  ['a Uint8Array', new Uint8Array([9, 8, 7])],
  ['an object holding a Date and a Buffer', { at: new Date(0), body: Buffer.from('x') }],
  ['a Map and a Set', { m: new Map([['k', 1]]), s: new Set(['a']) }],
  ['NaN and Infinity', [Number.NaN, Number.POSITIVE_INFINITY]],
  // long strings travel outside the JSON in a packed store (Redis); a lone surrogate cannot
  ['a long string', 'ü✓🙂 '.repeat(300)],
  [
    'an object holding long strings, one with lone surrogates',
    { a: 'x'.repeat(600), nested: [{ b: 'é'.repeat(700) }], lone: '\ud800'.repeat(600), m: new Map([['k', 'y'.repeat(800)]]) },
  ],
];

const KEYS = ['simple', 'with space and\ttab', `long:${'x'.repeat(600)}`, 'ünïcødé/键', '#hash-looking', 'line\nbreak'];

/**
 * The contract every store must keep when it serves as a cache tier. Each test gets a new
 * store from `make` and a cache whose only tier it is.
 */
export function storeConformance(name: string, make: StoreFactory, r: Runner): void {
  const withCache = async (
    body: (c: ReturnType<typeof createCache>, store: CacheStore, clock: ReturnType<typeof manualClock>) => Promise<void>,
    namespace = `conf${Math.random().toString(36).slice(2, 8)}`,
  ) => {
    const { store, cleanup } = await make();
    const clock = manualClock(Date.now());
    try {
      await body(createCache({ namespace, clock, tiers: [{ store }], ttl: '1h' }), store, clock);
    } finally {
      await cleanup?.();
    }
  };

  r.describe(`store conformance: ${name}`, () => {
    for (const [label, value] of VALUES) {
      r.test(`round-trips ${label}`, () =>
        withCache(async (cache) => {
          await cache.set('v', value);
          r.expect(await cache.get('v')).toEqual(value);
        }),
      );
    }

    r.test('keeps long and odd keys apart and hands the store short printable keys', async () => {
      const seen: string[] = [];
      await withCache(async (cache, store) => {
        const original = store.set.bind(store);
        store.set = (key, value, ttl) => {
          seen.push(key);
          return original(key, value, ttl);
        };
        for (const [i, key] of KEYS.entries()) await cache.set(key, i);
        for (const [i, key] of KEYS.entries()) r.expect(await cache.get(key)).toBe(i);
      });
      for (const key of seen) {
        r.expect(key.length).toBeLessThanOrEqual(200);
        r.expect(key).toMatch(/^[\x21-\x7e]+$/);
      }
    });

    r.test('misses, deletes and has', () =>
      withCache(async (cache) => {
        r.expect(await cache.get('nope')).toBeUndefined();
        await cache.set('k', 1);
        r.expect(await cache.has('k')).toBe(true);
        r.expect(await cache.delete('k')).toBe(true);
        r.expect(await cache.has('k')).toBe(false);
        r.expect(await cache.get('k')).toBeUndefined();
      }),
    );

    r.test('many keys at once', () =>
      withCache(async (cache) => {
        await cache.setMany([
          { key: 'a', value: 1 },
          { key: 'b', value: 2 },
        ]);
        r.expect(await cache.getMany(['a', 'x', 'b'])).toEqual([1, undefined, 2]);
        await cache.deleteMany(['a', 'b']);
        r.expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined]);
      }),
    );

    r.test('honours the entry TTL on the cache clock', () =>
      withCache(async (cache, _store, clock) => {
        await cache.set('t', 'v', { ttl: '10s' });
        await clock.advance(9_999);
        r.expect(await cache.get('t')).toBe('v');
        await clock.advance(1);
        r.expect(await cache.get('t')).toBeUndefined();
      }),
    );

    r.test('deleteByTag and expireByTag', () =>
      withCache(async (cache, _store, clock) => {
        await cache.set('p1', 1, { tags: ['product'] });
        await cache.set('p2', 2, { tags: ['other'] });
        await clock.advance(1);
        await cache.deleteByTag('product');
        r.expect(await cache.get('p1')).toBeUndefined();
        r.expect(await cache.get('p2')).toBe(2);
        await cache.set('s', 's', { tags: ['soft'], staleWhileRevalidate: '1m' });
        await clock.advance(1);
        await cache.expireByTag('soft');
        let loads = 0;
        r.expect(await cache.getOrSet('s', () => `new${++loads}`, { staleWhileRevalidate: '1m' })).toBe('s');
        await clock.advance(1);
        r.expect(await cache.get('s')).toBe('new1');
      }),
    );

    r.test('one flight covers the whole miss: 1,000 concurrent getOrSet, a failing loader runs once (issue 8 item 15)', async () => {
      const { store, cleanup } = await make();
      // a shared store sits under a memory tier, as deployed; its reads after the first are held
      // until the load has failed, as on a loaded machine where Redis answers late
      const slow = chaosStore(store);
      let failed!: () => void;
      const loadFailed = new Promise<void>((resolve) => {
        failed = resolve;
      });
      slow.hold = (method) => (method === 'get' && (slow.calls.get ?? 0) > 1 ? loadFailed : undefined);
      const tiers = store.shared ? [{ store: memoryStore() }, { store: slow }] : [{ store }];
      const cache = createCache({ namespace: `flight${Math.random().toString(36).slice(2, 8)}`, tiers });
      let loads = 0;
      const loader = async () => {
        loads++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        setImmediate(failed);
        throw new Error('origin down');
      };
      try {
        const outcomes = await Promise.allSettled(Array.from({ length: 1000 }, () => cache.getOrSet('cold', loader)));
        r.expect(loads).toBe(1);
        const messages = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'fulfilled'));
        r.expect(new Set(messages).size).toBe(1);
        r.expect(messages[0]).toBe('origin down');
      } finally {
        failed();
        await cleanup?.();
      }
    });

    r.test('getOrSet for a key from inside its own loader fails with E_RECURSIVE_LOAD, never hangs (issue 8 item 18)', () =>
      withCache(async (cache) => {
        let code: unknown;
        try {
          await cache.getOrSet('self', () => cache.getOrSet('self', () => 'inner'));
        } catch (error) {
          code = (error as { code?: string }).code;
        }
        r.expect(code).toBe('E_RECURSIVE_LOAD');
        // through another key too (a → b → a), and the keys stay usable
        let cycle: unknown;
        try {
          await cache.getOrSet('a', () => cache.getOrSet('b', () => cache.getOrSet('a', () => 1)));
        } catch (error) {
          cycle = (error as { code?: string }).code;
        }
        r.expect(cycle).toBe('E_RECURSIVE_LOAD');
        r.expect(await cache.getOrSet('outer', async () => `${await cache.getOrSet('inner', () => 'i')}+o`)).toBe('i+o');
        r.expect(await cache.getOrSet('self', () => 'again')).toBe('again');
      }),
    );

    r.test('clear drops this namespace only', async () => {
      const { store, cleanup } = await make();
      const clock = manualClock(Date.now());
      const tag = Math.random().toString(36).slice(2, 8);
      const mine = createCache({ namespace: `mine${tag}`, clock, tiers: [{ store }] });
      const theirs = createCache({ namespace: `theirs${tag}`, clock, tiers: [{ store }] });
      try {
        await mine.set('k', 1);
        await theirs.set('k', 2);
        await clock.advance(1);
        await mine.clear();
        r.expect(await mine.get('k')).toBeUndefined();
        r.expect(await theirs.get('k')).toBe(2);
      } finally {
        await cleanup?.();
      }
    });
  });
}
