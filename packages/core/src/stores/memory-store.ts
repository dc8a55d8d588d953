import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import { type Clock, systemClock } from '../time/clock.js';
import { type ByteSize, parseBytes } from './byte-size.js';
import { type EntryInstants, GroupedLru, NOT_FRESH, type SlotRef } from './grouped-lru.js';
import { sizeOf } from './size-of.js';
import type { CacheStore, StoreContext } from './store.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. Default `10_000`. */
  maxEntries?: number;
  /** Most bytes kept (an estimate of each value's size). Default `'64mb'`. */
  maxBytes?: ByteSize;
}

/**
 * Bytes an entry costs beyond what `sizeOf` counts: its map slot and array cells (~56), the key
 * string's header, and numbers boxed on the heap (16 bytes each where `sizeOf` counts 8).
 * Measured: with it, a `maxBytes` tier holds within ~10 % of its cap in heap (bench `targets`).
 */
const ENTRY_OVERHEAD = 128;

/**
 * The in-process tier: an LRU bounded by entry count and by bytes ({@link GroupedLru}). Values are
 * kept by reference and read synchronously, so an L1 hit costs no I/O and no copy.
 *
 * @example
 * ```ts
 * createCache({ tiers: [{ store: memoryStore({ maxEntries: 10_000, maxBytes: '64mb' }), ttl: '30s' }] })
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): CacheStore {
  return new MemoryStore(options);
}

/**
 * Where a store key splits into the group the memory tier files it under (its namespace, up to
 * and including `/k:`) and the part within it (the caller's key, or its hash).
 */
const GROUP_END = '/k:';

export { NOT_FRESH };

/** A cache entry as the memory tier takes it: a value and its instants. */
export interface LocalEntry extends EntryInstants {
  value: unknown;
}

/**
 * A tier that a namespace reads by its group and the caller's key, without building the store
 * key, and that keeps the cache's entries unpacked (see {@link localTier}).
 */
export interface LocalTier {
  /** `get(group + part)`, without concatenating. */
  getIn(group: string, part: string): unknown;
  /** The value of the entry under `group + part` if it is fresh at `now`, else {@link NOT_FRESH}; no entry object is read or made. */
  freshIn(group: string, part: string, now: number): unknown;
  /** Where the entry under `group + part` is kept, to read it again by {@link LocalTier.freshAt}; undefined when absent. */
  slotIn(group: string, part: string): SlotRef | undefined;
  /** {@link LocalTier.freshIn} by a slot from `slotIn`, without the map probe; {@link NOT_FRESH} once the slot holds another key. */
  freshAt(ref: SlotRef, now: number): unknown;
  /**
   * Keeps an entry for at most `ttl` ms, its value and instants apart; `get` gives back an equal
   * entry. `part`, when given, is the caller's key string that ends `key`: kept as the map key,
   * so that a read with that very string finds it without comparing characters.
   */
  setEntry(key: string, entry: LocalEntry, ttl: number, part?: string): void;
  /** Moves the fresh deadline of the entry under `key` back to `at` (`expireByTag`); false if absent. */
  freshOnlyUntil(key: string, at: number): boolean;
}

/** The store as a {@link LocalTier} when it is a `memoryStore()`; other stores are read by store key. */
export function localTier(store: CacheStore): LocalTier | undefined {
  return store instanceof MemoryStore ? store : undefined;
}

class MemoryStore implements CacheStore, LocalTier {
  readonly name = 'memory';
  readonly shared = false;
  #clock: Clock = systemClock;
  #onDrop: StoreContext['onDrop'];
  readonly #lru: GroupedLru;

  constructor(options: MemoryStoreOptions) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new InvalidOptionError(
        ErrorCode.InvalidOption,
        message(`memoryStore maxEntries: ${JSON.stringify(maxEntries)} must be a positive integer`),
      );
    }
    const maxSize = parseBytes(options.maxBytes ?? '64mb', 'memoryStore maxBytes');
    this.#lru = new GroupedLru({
      maxEntries,
      maxSize,
      now: () => this.#clock.now(),
      onDrop: (key, value) => this.#onDrop?.(key, value),
      // a copy: the cache changes a kept entry through `freshOnlyUntil`, never through the object
      restore: (value, { createdAt, freshUntil, staleUntil, staleIfErrorUntil, tags }) => ({
        value,
        createdAt,
        freshUntil,
        staleUntil,
        staleIfErrorUntil,
        tags,
      }),
    });
  }

  attach(context: StoreContext): void {
    this.#clock = context.clock;
    this.#onDrop = context.onDrop;
  }

  get(key: string): unknown {
    const at = key.indexOf(GROUP_END);
    return at < 0 ? this.#lru.get('', key) : this.#lru.get(key.slice(0, at + 3), key.slice(at + 3));
  }

  getIn(group: string, part: string): unknown {
    return this.#lru.get(group, part);
  }

  freshIn(group: string, part: string, now: number): unknown {
    return this.#lru.fresh(group, part, now);
  }

  slotIn(group: string, part: string): SlotRef | undefined {
    return this.#lru.slotOf(group, part);
  }

  freshAt(ref: SlotRef, now: number): unknown {
    return this.#lru.freshAt(ref, now);
  }

  set(key: string, value: unknown, ttl: number): void {
    // the cache never stores null or undefined bare (it stores entries); nor does this store
    if (value === undefined || value === null) return;
    const at = key.indexOf(GROUP_END);
    const group = at < 0 ? '' : key.slice(0, at + 3);
    const part = at < 0 ? key : key.slice(at + 3);
    this.#lru.set(group, part, value, this.#expires(ttl), this.#sizeOf(value, part));
  }

  setEntry(key: string, entry: LocalEntry, ttl: number, part?: string): void {
    const at = key.indexOf(GROUP_END);
    const group = at < 0 ? '' : key.slice(0, at + 3);
    const own = part !== undefined && part.length === key.length - at - 3 && key.endsWith(part) ? part : key.slice(at + 3);
    this.#lru.setEntry(group, at < 0 ? key : own, entry.value, entry, this.#expires(ttl), this.#sizeOf(entry, own));
  }

  freshOnlyUntil(key: string, at: number): boolean {
    const end = key.indexOf(GROUP_END);
    return end < 0 ? this.#lru.freshOnlyUntil('', key, at) : this.#lru.freshOnlyUntil(key.slice(0, end + 3), key.slice(end + 3), at);
  }

  /** Gone at exactly `ttl`: the cache's contract is "at most `ttl`". */
  #expires(ttl: number): number {
    return ttl === Number.POSITIVE_INFINITY ? ttl : this.#clock.now() + Math.max(1, ttl);
  }

  #sizeOf(value: unknown, part: string): number {
    return Math.max(1, sizeOf(value) + part.length * 2 + ENTRY_OVERHEAD);
  }

  delete(key: string): boolean {
    const at = key.indexOf(GROUP_END);
    return at < 0 ? this.#lru.delete('', key) : this.#lru.delete(key.slice(0, at + 3), key.slice(at + 3));
  }

  clearPrefix(prefix: string): void {
    this.#lru.deleteWhere(prefix);
  }

  /** Entries and bytes held now (including expired entries not yet noticed). */
  usage(): { entries: number; bytes: number } {
    return { entries: this.#lru.count, bytes: this.#lru.size };
  }

  /** Entries held now (including expired ones not yet noticed). */
  get size(): number {
    return this.#lru.count;
  }
}
