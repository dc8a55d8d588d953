import { LRUCache } from 'lru-cache';
import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import { type Clock, systemClock } from '../time/clock.js';
import { type ByteSize, parseBytes } from './byte-size.js';
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
 * Bytes an entry costs beyond what `sizeOf` counts: lru-cache's map slot and array cells (~56),
 * the key string's header, and numbers boxed on the heap (16 bytes each where `sizeOf` counts 8).
 * Measured: with it, a `maxBytes` tier holds within ~10 % of its cap in heap (bench `targets`).
 */
const ENTRY_OVERHEAD = 128;

/**
 * The in-process tier: an LRU bounded by entry count and by bytes, on lru-cache. Values are
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

class MemoryStore implements CacheStore {
  readonly name = 'memory';
  readonly shared = false;
  #clock: Clock = systemClock;
  #onDrop: StoreContext['onDrop'];
  readonly #lru: LRUCache<string, object>;

  constructor(options: MemoryStoreOptions) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new InvalidOptionError(
        ErrorCode.InvalidOption,
        message(`memoryStore maxEntries: ${JSON.stringify(maxEntries)} must be a positive integer`),
      );
    }
    const maxSize = parseBytes(options.maxBytes ?? '64mb', 'memoryStore maxBytes');
    this.#lru = new LRUCache<string, object>({
      max: maxEntries,
      maxSize,
      // a value larger than the whole budget is not kept, rather than emptying the cache
      maxEntrySize: maxSize,
      sizeCalculation: (value, key) => Math.max(1, sizeOf(value) + key.length * 2 + ENTRY_OVERHEAD),
      dispose: (value, key, reason) => {
        if (reason !== 'set') this.#onDrop?.(key, value);
      },
      // lru-cache keeps each entry's expiry in its own typed arrays (no wrapper object per
      // entry), read on the cache's clock; the clock is already coarse, so no second debounce
      ttlResolution: 0,
      perf: { now: () => this.#clock.now() },
    });
  }

  attach(context: StoreContext): void {
    this.#clock = context.clock;
    this.#onDrop = context.onDrop;
  }

  get(key: string): unknown {
    return this.#lru.get(key);
  }

  set(key: string, value: unknown, ttl: number): void {
    // null and undefined cannot be lru-cache values; the cache never stores them bare (it stores entries)
    if (value === undefined || value === null) return;
    if (ttl === Number.POSITIVE_INFINITY) {
      this.#lru.set(key, value as object, { ttl: 0 });
      return;
    }
    // lru-cache drops an entry once more than `ttl` has passed; the cache's contract is "at most
    // `ttl`", so it is gone at exactly `ttl`: start the clock 1 ms early
    this.#lru.set(key, value as object, { ttl: Math.max(1, ttl), start: this.#clock.now() - 1 });
  }

  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  clearPrefix(prefix: string): void {
    for (const key of [...this.#lru.keys()]) {
      if (key.startsWith(prefix)) this.#lru.delete(key);
    }
  }

  /** Entries and bytes held now (including expired entries not yet noticed). */
  usage(): { entries: number; bytes: number } {
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize };
  }

  /** Entries held now (including expired ones not yet noticed). */
  get size(): number {
    return this.#lru.size;
  }
}
