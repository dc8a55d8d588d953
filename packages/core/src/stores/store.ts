import type { Clock } from '../time/clock.js';

/** What a cache tells a store when it takes it in. */
export interface StoreContext {
  clock: Clock;
  /** Called when the store drops a key on its own (eviction, expiry, delete). */
  onDrop?: (key: string, value: unknown) => void;
  /**
   * A store that knows when its connection is back (node-redis `ready`) calls this: the cache
   * tries the tier again at once instead of waiting for its breaker's break to end.
   */
  onReady?: () => void;
}

/**
 * The contract every tier's store fulfils. Keys arrive short, printable and memcached-safe.
 * A store reports failure by throwing or rejecting; the cache adds timeouts and a circuit
 * breaker around shared stores, so a store need not.
 *
 * @example
 * ```ts
 * const store: CacheStore = { name: 'map', shared: false, get: (k) => map.get(k),
 *   set: (k, v) => void map.set(k, v), delete: (k) => map.delete(k) }
 * ```
 */
export interface CacheStore {
  /** A short name for events and stats, like `memory` or `keyv:redis`. */
  readonly name: string;
  /**
   * `false` for an in-process store that keeps values by reference and answers synchronously;
   * `true` for a store outside the process: values are encoded to JSON data before they reach it.
   */
  readonly shared: boolean;
  /**
   * `true` for a shared store that keeps a `Buffer` as its bytes and can hand them back as a
   * `Buffer` (the Redis store): the cache then writes entries packed (long strings outside the
   * JSON) and reads them without parsing those strings. Default: entries as JSON data.
   */
  readonly binary?: boolean;
  /** Called once by the cache that takes the store in. */
  attach?(context: StoreContext): void;
  /** The stored value, or `undefined` on a miss. */
  get(key: string): unknown | Promise<unknown>;
  /** Keeps `value` for at most `ttl` ms. */
  set(key: string, value: unknown, ttl: number): void | Promise<void>;
  /** Drops a key; true if it was there (a store that cannot tell answers true). */
  delete(key: string): boolean | Promise<boolean>;
  /** What the store holds now, if it can tell at once (the memory store can); for `cache.stats()`. */
  usage?(): { entries: number; bytes?: number };
  getMany?(keys: readonly string[]): Promise<unknown[]>;
  deleteMany?(keys: readonly string[]): Promise<void>;
  /**
   * Writes `fields` under `key`, keeping for each field the larger of the stored and the given
   * number, in one atomic step, and keeps the key for at least `ttl` ms. The cache writes tag and
   * clear marks with it, so that processes that did not hear each other never undo each other's
   * purge (a soft one written after a hard one). A store without it gets a plain `set`.
   */
  mergeMax?(key: string, fields: Readonly<Record<string, number>>, ttl: number): Promise<void>;
  /**
   * Drops every key that starts with `prefix`, and nothing else. A store that cannot do this
   * without touching other keys (memcached) leaves it out; the cache then clears logically.
   */
  clearPrefix?(prefix: string): void | Promise<void>;
  /** Closes connections the store opened. */
  disconnect?(): Promise<void>;
}
