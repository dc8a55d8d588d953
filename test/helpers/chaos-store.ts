import type { CacheStore, StoreContext } from '@cachette/core';

/** How a chaos store misbehaves: pass through, throw, never answer, or answer garbage. */
export type ChaosMode = 'ok' | 'throw' | 'hang' | 'corrupt';

/**
 * Wraps a real store and injects failures on demand — the only stand-in our tests use:
 * every call still reaches the real store when the mode is `ok`.
 */
export interface ChaosStore extends CacheStore {
  mode: ChaosMode;
  /** Calls made to the wrapper, by method, whatever the mode. */
  readonly calls: Record<string, number>;
  /**
   * In mode `ok`, a call for which this returns a promise waits for it before it reaches the real
   * store: a slow store, held and released by the test (no timers).
   */
  hold?: (method: string, key: string | undefined) => Promise<unknown> | undefined;
  /**
   * Like `hold`, but the real store answers first and its answer is held: a reply still on its
   * way. Called once the real answer is in.
   */
  holdAnswer?: (method: string, key: string | undefined) => Promise<unknown> | undefined;
  /** What the cache gave the store when it took it in (to signal `onReady`, as a reconnecting client does). */
  context?: StoreContext;
}

export function chaosStore(inner: CacheStore): ChaosStore {
  const calls: Record<string, number> = {};
  const act = <T>(method: string, real: () => T | Promise<T>, corrupt?: unknown, key?: string): T | Promise<T> => {
    calls[method] = (calls[method] ?? 0) + 1;
    const held = wrapper.mode === 'ok' ? wrapper.hold?.(method, key) : undefined;
    if (held) return held.then(real);
    if (wrapper.mode === 'ok' && wrapper.holdAnswer) {
      return Promise.resolve(real()).then((answer) => {
        const late = wrapper.holdAnswer?.(method, key);
        return late ? late.then(() => answer) : answer;
      });
    }
    switch (wrapper.mode) {
      case 'throw':
        return Promise.reject(new Error(`chaos: ${method} failed`));
      case 'hang':
        return new Promise<T>(() => undefined);
      case 'corrupt':
        return corrupt === undefined ? real() : Promise.resolve(corrupt as T);
      default:
        return real();
    }
  };
  const wrapper: ChaosStore = {
    mode: 'ok',
    calls,
    name: `chaos(${inner.name})`,
    shared: inner.shared,
    attach: (context: StoreContext) => {
      wrapper.context = context;
      inner.attach?.(context);
    },
    get: (key) => act('get', () => inner.get(key), '{"v": not json', key),
    set: (key, value, ttl) => act('set', () => inner.set(key, value, ttl), undefined, key),
    delete: (key) => act('delete', () => inner.delete(key), undefined, key),
    // async: the contract wants a promise from these two, whatever `act` answers
    getMany: inner.getMany
      ? async (keys) =>
          act(
            'getMany',
            () => inner.getMany!(keys),
            keys.map(() => ({ v: 1, c: 'x' })),
          )
      : undefined,
    deleteMany: inner.deleteMany ? async (keys) => act('deleteMany', () => inner.deleteMany!(keys)) : undefined,
    clearPrefix: inner.clearPrefix ? (prefix) => act('clear', () => inner.clearPrefix!(prefix)) : undefined,
    disconnect: inner.disconnect ? () => inner.disconnect!() : undefined,
  };
  return wrapper;
}
