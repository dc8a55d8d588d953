import { CachetteError, ErrorCode, message, StoreError } from '../errors.js';
import { type LocalTier, localTier } from '../stores/memory-store.js';
import type { CacheStore } from '../stores/store.js';
import type { Clock } from '../time/clock.js';
import { type BreakerPolicy, type BreakerState, CircuitBreaker } from './circuit-breaker.js';
import { type Entry, keepUntil } from './entry.js';
import { Outbox } from './outbox.js';
import { decodeEntry, encodeEntry, packEntry, type WireEntry } from './serializer.js';
import { Deadlines, TimeoutSignal } from './timeout.js';

/** What a tier tells the cache about a failure or a breaker change. */
export interface TierReporter {
  error(error: CachetteError, tier: Tier, operation: string, key?: string): void;
  circuit(tier: Tier, state: 'open' | 'closed'): void;
}

/** An entry encoded once for every shared tier that takes it: as JSON data, packed, or both. */
export interface EncodedEntry {
  wire?: WireEntry;
  packed?: Buffer;
}

/** An invalidation a shared store failed: made again until it lands, then `landed` runs. */
interface Replay {
  work: () => unknown;
  landed: (() => void) | undefined;
}

/** A tier, resolved: its store, TTL cap, timeout and breaker. */
export interface TierSettings {
  store: CacheStore;
  ttl: number;
  timeout: number;
  breaker: BreakerPolicy;
}

/**
 * One tier of a cache. Shared tiers encode entries, time every call out and sit behind a
 * circuit breaker; a failure is reported and reads as a miss, never thrown.
 */
export class Tier {
  readonly store: CacheStore;
  readonly ttl: number;
  readonly index: number;
  readonly shared: boolean;
  /** Takes entries packed (`CacheStore.binary`). */
  readonly packed: boolean;
  /** The store when it is a `memoryStore()`: it keeps entries unpacked and is read by namespace and caller key. */
  readonly local: LocalTier | undefined;
  /** The timeout of every call to a shared store; one timer per instant, not one per call. */
  readonly #deadlines: Deadlines;
  readonly #clock: Clock;
  readonly #breaker: CircuitBreaker;
  readonly #report: TierReporter;
  /** Invalidations the store failed, made again in order until they land (shared tiers only). */
  readonly #replays: Outbox<Replay>;

  constructor(settings: TierSettings, index: number, clock: Clock, report: TierReporter) {
    this.store = settings.store;
    this.ttl = settings.ttl;
    this.index = index;
    this.shared = settings.store.shared;
    this.packed = this.shared && settings.store.binary === true;
    this.local = localTier(settings.store);
    this.#deadlines = new Deadlines(this.shared ? settings.timeout : 0, clock);
    this.#clock = clock;
    this.#breaker = new CircuitBreaker(settings.breaker, clock);
    this.#report = report;
    this.#replays = new Outbox<Replay>(({ work }) => Promise.resolve(this.#deadlines.race(Promise.resolve().then(work))), {
      sent: ({ landed }) => landed?.(),
      clock,
    });
  }

  get name(): string {
    return this.store.name;
  }

  /** False while the tier's breaker is open; reading it never starts a trial call. */
  get available(): boolean {
    return !this.#breaker.broken;
  }

  /** The breaker's state, as a reading only. */
  get circuit(): BreakerState {
    return this.#breaker.state;
  }

  /**
   * The store's connection is back: an open breaker lets the next call through as its trial, and
   * the invalidations that failed are made again at once.
   */
  ready(): void {
    this.#breaker.ready();
    void this.#replays.flush();
  }

  /** The store is being closed: what waits to be made again is forgotten. */
  close(): void {
    this.#replays.close();
  }

  /** The entry under `key`, or undefined on a miss, a failure or a corrupt value. */
  async get(key: string): Promise<Entry | undefined> {
    // `call` inlined: the hot read of a shared tier, without a closure and a second async function
    if (this.#breaker.isOpen) return undefined;
    let raw: unknown;
    try {
      raw = await this.#deadlines.race(this.store.get(key));
      if (this.#breaker.success()) this.#report.circuit(this, 'closed');
    } catch (cause) {
      this.#failed('get', key, cause);
      return undefined;
    }
    return raw === undefined || raw === null ? undefined : this.#decode(key, raw);
  }

  /** The entries under `keys`, in order. */
  async getMany(keys: readonly string[]): Promise<Array<Entry | undefined>> {
    const getMany = this.store.getMany?.bind(this.store);
    const raws = getMany
      ? await this.call('getMany', keys[0], () => getMany(keys))
      : await Promise.all(keys.map((key) => this.call('get', key, () => this.store.get(key))));
    return keys.map((key, i) => {
      const raw = raws?.[i];
      return raw === undefined || raw === null ? undefined : this.#decode(key, raw);
    });
  }

  /** Raw read, for marks: no entry decoding. */
  async getRaw(keys: readonly string[]): Promise<unknown[] | undefined> {
    const getMany = this.store.getMany?.bind(this.store);
    if (getMany) return this.call('getMany', keys[0], () => getMany(keys));
    const values = await Promise.all(keys.map((key) => this.call('get', key, () => this.store.get(key))));
    return values;
  }

  /**
   * Writes an entry for what is left of its life, capped by the tier's TTL. `encoded` is the
   * entry already encoded (the cache encodes once for all shared tiers); `callerKey`, the
   * caller's own key string, lets a memory tier keep that very string (see `LocalTier.setEntry`).
   */
  async set(key: string, entry: Entry, encoded?: EncodedEntry, callerKey?: string): Promise<void> {
    const ttl = Math.min(this.ttl, keepUntil(entry) - this.#clock.now());
    if (ttl <= 0) return;
    const local = this.local;
    if (local !== undefined) {
      await this.call('set', key, () => local.setEntry(key, entry, ttl, callerKey));
      return;
    }
    const value = !this.shared ? entry : this.packed ? (encoded?.packed ?? packEntry(entry)) : (encoded?.wire ?? encodeEntry(entry));
    await this.call('set', key, () => this.store.set(key, value, ttl));
  }

  /** Raw write, for marks. */
  async setRaw(key: string, value: unknown, ttl: number): Promise<void> {
    await this.call('set', key, () => this.store.set(key, value, Math.min(this.ttl, ttl)));
  }

  /**
   * Raw write of a mark, merged with the stored one by the store when it can (`mergeMax`). A
   * merged mark that fails is made again until it lands, then `landed` runs (see `#invalidate`).
   * A plain write is not: made late, it could undo a purge another process wrote meanwhile.
   */
  async mergeRaw(key: string, fields: Readonly<Record<string, number>>, ttl: number, landed?: () => void): Promise<void> {
    const mergeMax = this.store.mergeMax?.bind(this.store);
    if (!mergeMax) return this.setRaw(key, fields, ttl);
    await this.#invalidate('set', key, () => mergeMax(key, fields, Math.min(this.ttl, ttl)), landed);
  }

  /** Deletes keys; on a shared tier, a delete that fails is made again until it lands, then `landed` runs. */
  async delete(keys: readonly string[], landed?: () => void): Promise<boolean> {
    const deleteMany = this.store.deleteMany?.bind(this.store);
    if (deleteMany && keys.length > 1) {
      await this.#invalidate('deleteMany', keys[0], () => deleteMany(keys), landed);
      return true;
    }
    const results = await Promise.all(keys.map((key) => this.#invalidate('delete', key, () => this.store.delete(key), landed)));
    return results.some(Boolean);
  }

  /**
   * An invalidation reaches the store even while the breaker is open: one that fails, or that
   * finds others still waiting, is kept and made again in order once the store answers. Else a
   * purge made during an outage or a failover would be lost on a server that kept the old value.
   */
  async #invalidate<T>(
    operation: string,
    key: string | undefined,
    work: () => T | Promise<T>,
    landed?: () => void,
  ): Promise<T | undefined> {
    if (!this.shared) return this.call(operation, key, work);
    const keep = () => this.#replays.push({ work, landed });
    // behind invalidations that wait: in order
    if (this.#replays.size > 0) {
      keep();
      return undefined;
    }
    return this.call(operation, key, work, keep);
  }

  async clearPrefix(prefix: string): Promise<void> {
    const clear = this.store.clearPrefix?.bind(this.store);
    if (clear) await this.call('clear', undefined, () => clear(prefix));
  }

  /**
   * Runs one store call with the tier's timeout and breaker. Returns undefined when the tier
   * is skipped or the call fails (then `orElse` runs); the failure is reported.
   */
  async call<T>(operation: string, key: string | undefined, work: () => T | Promise<T>, orElse?: () => void): Promise<T | undefined> {
    if (this.#breaker.isOpen) {
      orElse?.();
      return undefined;
    }
    try {
      const result = await this.#deadlines.race(work());
      if (this.#breaker.success()) this.#report.circuit(this, 'closed');
      return result;
    } catch (cause) {
      this.#failed(operation, key, cause);
      orElse?.();
      return undefined;
    }
  }

  /** Reports a failed call and counts it against the breaker. */
  #failed(operation: string, key: string | undefined, cause: unknown): void {
    this.#report.error(this.#toError(operation, cause), this, operation, key);
    if (this.#breaker.failure()) this.#report.circuit(this, 'open');
  }

  #decode(key: string, raw: unknown): Entry | undefined {
    if (!this.shared) return raw as Entry;
    try {
      return decodeEntry(raw);
    } catch (error) {
      this.#report.error(error as CachetteError, this, 'decode', key);
      // a corrupt value must not be read again; drop it, without waiting
      void this.call('delete', key, () => this.store.delete(key));
      return undefined;
    }
  }

  #toError(operation: string, cause: unknown): CachetteError {
    if (cause instanceof CachetteError) return cause;
    if (cause instanceof TimeoutSignal) {
      return new StoreError(
        ErrorCode.StoreTimeout,
        message(`${this.name} (tier ${this.index + 1}) ${operation} timed out after ${cause.ms}ms`),
        { cause },
      );
    }
    const why = cause instanceof Error ? cause.message : String(cause);
    return new StoreError(ErrorCode.StoreError, message(`${this.name} (tier ${this.index + 1}) ${operation} failed: ${why}`), {
      cause,
    });
  }
}
