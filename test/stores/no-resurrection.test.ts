import { type Cache, type CacheBus, createCache, type ManualClock, manualClock, memoryStore } from '@cachette/core';
import { redisBus, redisStore } from '@cachette/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChaosStore, chaosStore } from '../helpers/chaos-store.js';
import { eventually, REDIS_URL } from '../helpers/services.js';

/** A promise and its resolve function. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A real redisBus that counts what it delivers, so a test can wait for a message to arrive. */
function countingBus(url: string, channel: string) {
  const bus = redisBus({ url, channel });
  const state = { received: 0, subscribed: false };
  const counted: CacheBus = {
    publish: (message) => bus.publish(message),
    async subscribe(handler) {
      await bus.subscribe((message) => {
        handler(message);
        state.received++;
      });
      state.subscribed = true;
    },
    disconnect: () => bus.disconnect?.() ?? Promise.resolve(),
  };
  return { bus: counted, state };
}

interface Process {
  cache: Cache;
  clock: ManualClock;
  l2: ChaosStore;
  bus: ReturnType<typeof countingBus>['state'];
}

describe.skipIf(!REDIS_URL)('no resurrection: what started before an invalidation never lands after it (issue 9)', () => {
  const url = REDIS_URL as string;
  const open: Cache[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.disconnect()));
  });

  /** Two processes' caches: a memory tier for 30 s over one real Redis, and a real bus between them. */
  async function fleet(): Promise<[Process, Process]> {
    const suffix = Math.random().toString(36).slice(2, 8);
    // one clock for both: the test says when time passes (values are ordered by the instant they
    // were made, and two writes of one key within one millisecond cannot be told apart)
    const clock = manualClock(Date.now());
    const make = (): Process => {
      const l2 = chaosStore(redisStore({ url }));
      const counted = countingBus(url, `resurrection:${suffix}`);
      const cache = createCache({
        namespace: `res${suffix}`,
        tiers: [{ store: memoryStore(), ttl: '30s' }, { store: l2 }],
        bus: counted.bus,
        ttl: '1h',
        clock,
      });
      open.push(cache);
      return { cache, clock, l2, bus: counted.state };
    };
    const processes: [Process, Process] = [make(), make()];
    await eventually(() => processes.every((p) => p.bus.subscribed));
    return processes;
  }

  /** Holds B's read of `key` from Redis once Redis has answered it, until `release` opens. */
  function holdRead(b: Process, key: string) {
    const answered = gate();
    const release = gate();
    b.l2.holdAnswer = (method, storeKey) => {
      if (method !== 'get' || !storeKey?.endsWith(`/k:${key}`)) return undefined;
      b.l2.holdAnswer = undefined;
      answered.open();
      return release.promise;
    };
    return { answered: answered.promise, release: release.open };
  }

  const invalidations: Array<[string, (a: Cache) => Promise<unknown>, unknown]> = [
    ['set by another process', (a) => a.set('k', 'new', { tags: ['t'] }), 'new'],
    ['delete by another process', (a) => a.delete('k'), undefined],
    ['deleteByTag by another process', (a) => a.deleteByTag('t'), undefined],
    ['clear by another process', (a) => a.clear(), undefined],
  ];

  for (const [name, invalidate, after] of invalidations) {
    it(`a back-fill read before a ${name} does not land after it`, async () => {
      const [a, b] = await fleet();
      await a.cache.set('k', 'old', { tags: ['t'] });
      await a.clock.advance(1);
      const { answered, release } = holdRead(b, 'k');
      const read = b.cache.get('k');
      await answered; // Redis has answered 'old'; the reply is on its way
      const heard = b.bus.received;
      await invalidate(a.cache);
      await eventually(() => b.bus.received > heard); // B's memory tier has been told
      release();
      // the read began before: it may answer what it read, or already see the invalidation
      expect(['old', after]).toContainEqual(await read);
      expect(await b.cache.get('k')).toEqual(after); // but its back-fill must not have landed
    });
  }

  it('a loader result begun before a set by another process is returned but not stored', async () => {
    const [a, b] = await fleet();
    const started = gate();
    const finish = gate();
    const load = b.cache.getOrSet('k', async () => {
      started.open();
      await finish.promise;
      return 'computed before the change';
    });
    await started.promise;
    const heard = b.bus.received;
    await a.clock.advance(1);
    await a.cache.set('k', 'new');
    await eventually(() => b.bus.received > heard);
    finish.open();
    expect(await load).toBe('computed before the change');
    expect(await b.cache.get('k')).toBe('new');
    expect(await a.cache.get('k')).toBe('new');
    expect(b.cache.stats().discarded).toBe(1);
  });

  it('a back-fill read before a local delete does not land after it (one process, no bus)', async () => {
    const l2 = chaosStore(redisStore({ url }));
    const cache = createCache({
      namespace: `solo${Math.random().toString(36).slice(2, 8)}`,
      tiers: [{ store: memoryStore(), ttl: '30s' }, { store: l2 }],
    });
    open.push(cache);
    const other = createCache({ namespace: cache.path.split('@')[0], tiers: [{ store: redisStore({ url }) }] });
    open.push(other);
    await other.set('k', 'old');
    const { answered, release } = holdRead({ cache, clock: manualClock(), l2, bus: { received: 0, subscribed: true } }, 'k');
    const read = cache.get('k');
    await answered;
    await cache.delete('k');
    release();
    expect(await read).toBe('old');
    expect(await cache.get('k')).toBeUndefined();
  });
});
