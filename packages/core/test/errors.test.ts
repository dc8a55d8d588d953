import { describe, expect, it } from 'vitest';
import {
  type CacheBus,
  type CacheLock,
  CachetteError,
  CoordinationError,
  createCache,
  ErrorCode,
  LoaderTimeoutError,
  manualClock,
} from '../src/index.js';

// docs/reference/errors.md: every error cachette throws or reports is a CachetteError with a stable code
describe('what the cache reports is a CachetteError with a code, the original as its cause', () => {
  it('a bus that cannot subscribe or publish: E_BUS_ERROR', async () => {
    const offline = new Error('The client is offline');
    const bus: CacheBus = { publish: () => Promise.reject(offline), subscribe: () => Promise.reject(offline) };
    const cache = createCache({ bus });
    const reported: Array<{ error: unknown; operation: string }> = [];
    cache.on('error', ({ error, operation }) => reported.push({ error, operation }));
    await cache.set('k', 1);
    await cache.delete('k');
    await expect.poll(() => [...new Set(reported.map((r) => r.operation))].sort()).toEqual(['publish', 'subscribe']);
    for (const { error } of reported) {
      expect(error).toBeInstanceOf(CoordinationError);
      expect(error).toMatchObject({ code: ErrorCode.BusError, cause: offline });
      expect((error as Error).message).toMatch(/^\[cachette:core\] /);
    }
  });

  it('a lock that fails to lock or unlock: E_LOCK_ERROR, and the load goes on', async () => {
    const down = new Error('lock server down');
    const lock: CacheLock = { acquire: () => Promise.reject(down) };
    const cache = createCache({ lock });
    const reported: unknown[] = [];
    cache.on('error', ({ error, operation }) => operation === 'lock' && reported.push(error));
    expect(await cache.getOrSet('k', () => 'v')).toBe('v');
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(CoordinationError);
    expect(reported[0]).toMatchObject({ code: ErrorCode.LockError, cause: down });

    const refused = new Error('unlock refused');
    const unlocking = createCache({ lock: { acquire: async () => () => Promise.reject(refused) } });
    const unlockErrors: unknown[] = [];
    unlocking.on('error', ({ error, operation }) => operation === 'unlock' && unlockErrors.push(error));
    expect(await unlocking.getOrSet('k', () => 'v')).toBe('v');
    await expect.poll(() => unlockErrors.length).toBe(1);
    expect(unlockErrors[0]).toMatchObject({ code: ErrorCode.LockError, cause: refused });
  });

  it('a stale value standing in past softTimeout: the fallback carries E_LOADER_TIMEOUT', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1m', staleIfError: '1h' });
    const fallbacks: unknown[] = [];
    cache.on('fallback', ({ error }) => fallbacks.push(error));
    await cache.set('k', 'old');
    await clock.advance(61_000);
    const answer = cache.getOrSet('k', () => new Promise<string>(() => undefined), { softTimeout: '100ms' });
    await clock.advance(100);
    expect(await answer).toBe('old');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toBeInstanceOf(LoaderTimeoutError);
    expect(fallbacks[0]).toMatchObject({ code: ErrorCode.LoaderTimeout });
    expect(fallbacks[0]).toBeInstanceOf(CachetteError);
  });
});
