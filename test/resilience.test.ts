import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createCache, manualClock, memoryStore } from '@cachette/core';
import { keyvStore } from '@cachette/core/keyv';
import { redisStore } from '@cachette/redis';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import { chaosStore } from './helpers/chaos-store.js';
import { eventually } from './helpers/services.js';

function setup(options: { failures?: number } = {}) {
  const clock = manualClock();
  const l2 = chaosStore(keyvStore(new Keyv()));
  const cache = createCache({
    clock,
    tiers: [{ store: memoryStore(), ttl: '10s' }, { store: l2 }],
    storeTimeout: '200ms',
    circuitBreaker: { failures: options.failures ?? 2, duration: '5s' },
  });
  const errors: string[] = [];
  const circuit: string[] = [];
  cache.on('error', ({ error, operation }) => errors.push(`${operation}:${(error as { code?: string }).code}`));
  cache.on('circuit', ({ state }) => circuit.push(state));
  return { clock, l2, cache, errors, circuit };
}

describe('a failing shared tier never fails a request', () => {
  it('a throwing store is reported and skipped; the loader value is returned', async () => {
    const { l2, cache, errors } = setup();
    l2.mode = 'throw';
    expect(await cache.getOrSet('k', () => 'loaded')).toBe('loaded');
    expect(errors).toContain('get:E_STORE_ERROR');
    expect(errors).toContain('set:E_STORE_ERROR');
    expect(await cache.get('k')).toBe('loaded');
  });

  it('a hanging store times out on the cache clock', async () => {
    const { clock, l2, cache, errors } = setup({ failures: 5 });
    l2.mode = 'hang';
    const result = cache.getOrSet('k', () => 'loaded');
    await clock.advance(200);
    await clock.advance(200);
    expect(await result).toBe('loaded');
    expect(errors).toEqual(['get:E_STORE_TIMEOUT', 'set:E_STORE_TIMEOUT']);
  });

  it('a corrupt value is reported, dropped and read as a miss', async () => {
    const { l2, cache, errors } = setup();
    await cache.set('k', 'good');
    const reader = createCache({ tiers: [{ store: l2 }] });
    reader.on('error', ({ error }) => errors.push((error as { code?: string }).code ?? '?'));
    l2.mode = 'corrupt';
    expect(await reader.getOrSet('k', () => 'reloaded')).toBe('reloaded');
    expect(errors).toContain('E_CORRUPT_ENTRY');
  });

  it('opens the circuit after repeated failures, skips the tier, and closes it after the break', async () => {
    const { clock, l2, cache, circuit } = setup();
    l2.mode = 'throw';
    await cache.getOrSet('a', () => 1);
    expect(circuit).toEqual(['open']);
    const callsWhenOpen = l2.calls.get ?? 0;
    await cache.getOrSet('b', () => 2);
    expect(l2.calls.get ?? 0).toBe(callsWhenOpen);
    l2.mode = 'ok';
    await clock.advance(5_000);
    await cache.getOrSet('c', () => 3);
    expect(circuit).toEqual(['open', 'closed']);
    expect(cache.stats().tiers[1]).toMatchObject({ circuitOpen: false });
  });
});

/** A redis-server of this test's own, on a free port, that the test can kill. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('killing the real redis-server mid-test', () => {
  let redis: ChildProcess | undefined;
  afterAll(() => {
    redis?.kill('SIGKILL');
  });

  it('keeps serving from the loader while Redis is down, and uses Redis again once it is back', async () => {
    const port = await freePort();
    const start = () =>
      spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    redis = start();
    const url = `redis://127.0.0.1:${port}`;
    const pingable = async () => {
      const probe = new KeyvRedis(url, { throwOnConnectError: false });
      try {
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 500));
        await Promise.race([probe.set('ping', '1'), timeout]);
        return true;
      } catch {
        return false;
      } finally {
        await probe.disconnect().catch(() => undefined);
      }
    };
    await eventually(pingable);
    const cache = createCache({
      tiers: [{ store: memoryStore(), ttl: '50ms' }, { store: keyvStore(new KeyvRedis(url, { throwOnConnectError: false })) }],
      storeTimeout: '300ms',
      circuitBreaker: { failures: 2, duration: '300ms' },
    });
    const errors: string[] = [];
    cache.on('error', ({ error }) => errors.push((error as { code?: string }).code ?? 'unknown'));
    expect(await cache.getOrSet('k', () => 'first')).toBe('first');

    redis.kill('SIGKILL');
    await eventually(async () => !(await pingable()));
    let loads = 0;
    for (let i = 0; i < 5; i++) {
      const startedAt = Date.now();
      expect(await cache.getOrSet(`down${i}`, () => `v${++loads}`)).toBe(`v${loads}`);
      // bounded by the store timeout, never a hang
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(cache.stats().errors).toBeGreaterThan(0);

    redis = start();
    await eventually(pingable);
    const reader = createCache({ tiers: [{ store: keyvStore(new KeyvRedis(url)) }] });
    await eventually(async () => {
      await cache.set('back', 'yes');
      const value = await reader.get('back');
      return value === 'yes';
    }, 15_000);
    await reader.disconnect();
    await cache.disconnect();
  });
});

describe('back soon after a store comes back (issue 8 item 16)', () => {
  it('half-open probes back off: one trial per break, breaks doubling up to circuitBreaker.duration', async () => {
    const { clock, l2, cache, circuit } = setup(); // failures: 2, duration: '5s' → breaks of 625 ms, 1.25 s, 2.5 s, 5 s
    l2.mode = 'throw';
    await cache.getOrSet('a', () => 1);
    expect(circuit).toEqual(['open']);
    expect(cache.stats().tiers[1]).toMatchObject({ circuit: 'open' });
    const probes = () => l2.calls.get ?? 0;
    const before = probes();
    for (const [i, pause] of [625, 1_250, 2_500, 5_000, 5_000].entries()) {
      await clock.advance(pause - 1);
      await cache.getOrSet(`early${i}`, () => 1);
      expect(probes()).toBe(before + i);
      await clock.advance(1);
      // the first call after the break is the one trial; the others skip while it runs
      await Promise.all([cache.getOrSet(`trial${i}`, () => 1), cache.getOrSet(`other${i}`, () => 1)]);
    }
    expect(probes()).toBe(before + 5);
    l2.mode = 'ok';
    await clock.advance(5_000);
    await cache.getOrSet('back', () => 2);
    expect(circuit).toEqual(['open', 'closed']);
  });

  it('by default a shared tier is tried again within 2 s of its failures, whatever the store', async () => {
    const clock = manualClock();
    const l2 = chaosStore(keyvStore(new Keyv()));
    const cache = createCache({ clock, tiers: [{ store: memoryStore(), ttl: '10s' }, { store: l2 }] });
    l2.mode = 'throw';
    for (let i = 0; i < 20; i++) {
      await cache.getOrSet(`down${i}`, () => i);
      await clock.advance(250);
    }
    expect(cache.stats().tiers[1]?.circuit).not.toBe('closed');
    l2.mode = 'ok';
    await clock.advance(2_000);
    await cache.set('back', 'yes');
    expect(cache.stats().tiers[1]?.circuit).toBe('closed');
  });

  it('a store that says its connection is back is tried at once, before the break ends', async () => {
    const clock = manualClock();
    const l2 = chaosStore(keyvStore(new Keyv()));
    const cache = createCache({
      clock,
      tiers: [{ store: memoryStore(), ttl: '10s' }, { store: l2 }],
      circuitBreaker: { failures: 1, duration: '1h' },
    });
    l2.mode = 'throw';
    await cache.getOrSet('a', () => 1);
    expect(cache.stats().tiers[1]?.circuit).toBe('open');
    l2.mode = 'ok';
    await cache.set('skipped', 1);
    expect(l2.calls.set ?? 0).toBe(0);
    l2.context?.onReady?.();
    await cache.set('back', 'yes');
    expect(l2.calls.set).toBe(1);
    expect(cache.stats().tiers[1]?.circuit).toBe('closed');
  });
});

describe('an invalidation a shared store failed', () => {
  it('is made again, in order, once the store answers: a delete reaches any store late rather than never', async () => {
    const { clock, l2, cache, errors } = setup({ failures: 1 });
    const other = createCache({ clock, tiers: [{ store: l2 }] }); // another process, on the shared tier only
    await cache.set('a', 'old');
    await cache.set('b', 'old');
    expect(await other.get('a')).toBe('old');
    l2.mode = 'throw';
    await cache.delete('a'); // fails: reported, and the breaker opens
    await cache.delete('b'); // the breaker is open: kept behind the first
    expect(errors).toContain('delete:E_STORE_ERROR');
    expect(cache.peek('a')).toBeUndefined();
    l2.mode = 'ok';
    // not yet: tried again 100 ms on, by the cache's clock
    expect([await other.get('a'), await other.get('b')]).toEqual(['old', 'old']);
    await clock.advance(100);
    expect([await other.get('a'), await other.get('b')]).toEqual([undefined, undefined]);
  });
});

describe('redisStore: Redis killed and restarted (issue 8 item 16)', () => {
  const PORT = 6422;
  let server: ChildProcess | undefined;
  const start = () =>
    spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(PORT), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it.skipIf(!process.env.REDIS_URL)('is used again as soon as its connection is back, however long the break', async () => {
    const url = `redis://127.0.0.1:${PORT}`;
    server = start();
    // a clock that never moves: the breaker's break never ends by time, only the store's signal ends it
    const clock = manualClock(Date.now());
    const store = redisStore({ url });
    const cache = createCache({ clock, tiers: [{ store }], circuitBreaker: { failures: 1, duration: '1h' } });
    await eventually(async () => {
      await cache.set('k', 'first');
      return cache.stats().tiers[0]?.circuit === 'closed' && (await cache.get('k')) === 'first';
    });
    server.kill('SIGKILL');
    await eventually(async () => {
      await cache.set('down', 1);
      return cache.stats().tiers[0]?.circuit === 'open';
    });
    const skipped = cache.stats().errors;
    await cache.set('skipped', 1);
    expect(cache.stats().errors).toBe(skipped); // open: no call reaches the dead server

    server = start();
    const reader = createCache({ tiers: [{ store: redisStore({ url }) }] });
    try {
      await eventually(async () => {
        await cache.set('back', 'yes');
        return (await reader.get('back')) === 'yes';
      });
      expect(cache.stats().tiers[0]?.circuit).toBe('closed');
    } finally {
      await reader.disconnect();
      await cache.disconnect();
    }
  });
});
