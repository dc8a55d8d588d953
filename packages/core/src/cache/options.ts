import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import { memoryStore } from '../stores/memory-store.js';
import type { CacheStore } from '../stores/store.js';
import { type Clock, systemClock } from '../time/clock.js';
import { type Duration, parseDuration, parseOptionalDuration } from '../time/duration.js';
import type { CacheBus, CacheLock } from './coordination.js';
import { assertNamespace } from './keys.js';
import type { TierSettings } from './tier.js';

/** One tier: a store and the longest it keeps an entry. */
export interface TierOptions {
  store: CacheStore;
  /** Longest this tier keeps an entry, whatever the entry's TTL. Default: no cap. */
  ttl?: Duration;
  /** Timeout of each call to a shared store. Default: the cache's `storeTimeout`. */
  timeout?: Duration;
}

/** Per-call options of `set`, `getOrSet`, `fragment`… Each overrides the cache's default. */
export interface EntryOptions {
  /** How long the value is fresh. Default: the cache's `ttl` (`'5m'`). */
  ttl?: Duration;
  /** How long past freshness a stale value is served while one refresh runs. Default `0`. */
  staleWhileRevalidate?: Duration;
  /** How long past freshness a stale value stands in for a failing loader. Default `0`. */
  staleIfError?: Duration;
  /** Tags for `deleteByTag` / `expireByTag`. */
  tags?: readonly string[];
  /** Fraction (0–1) of `ttl` taken off at random, so that entries made together do not expire together. */
  jitter?: number;
}

/** Per-call options of `getOrSet`. */
export interface GetOrSetOptions extends EntryOptions {
  /** With a stale value in hand, answer with it once the loader has run this long; the loader goes on. */
  softTimeout?: Duration;
  /** Abort the loader (its signal) and fail with `E_LOADER_TIMEOUT` (or the stale value) after this long. */
  hardTimeout?: Duration;
}

/** Options of `createCache`. */
export interface CacheOptions extends Omit<GetOrSetOptions, 'tags'> {
  /** Key prefix, as Django's KEY_PREFIX. Default `'cachette'`. */
  namespace?: string;
  /** Key version, as Django's VERSION; bump it to drop every entry at once. Default `1`. */
  version?: number;
  /** Tiers, first checked first. Default: one `memoryStore()`. */
  tiers?: readonly TierOptions[];
  /** Timeout of each shared-store call. Default `'1s'`. */
  storeTimeout?: Duration;
  /**
   * Failures in a row that make a shared tier be skipped, and the longest break. Breaks start at
   * an eighth of `duration` and double after each failed trial call, up to it; a store that
   * signals its connection is back (`redisStore`) is tried again at once.
   * Default `{ failures: 3, duration: '2s' }` (breaks of 250 ms, 500 ms, 1 s, then 2 s).
   */
  circuitBreaker?: { failures?: number; duration?: Duration };
  /** Tells other processes about deletes, so their memory tiers drop them. */
  bus?: CacheBus;
  /** Runs one loader per key across processes. */
  lock?: CacheLock;
  /** How long a loader waits for the cluster lock before running anyway. Default `'5s'`. */
  lockTimeout?: Duration;
  /** Where time comes from. Default `systemClock`. */
  clock?: Clock;
}

/** Entry durations, in ms. */
export interface ResolvedEntryPolicy {
  ttl: number;
  staleWhileRevalidate: number;
  staleIfError: number;
  jitter: number;
  softTimeout: number;
  hardTimeout: number;
}

/** `CacheOptions`, checked and frozen. */
export interface ResolvedOptions {
  namespace: string;
  version: number;
  tiers: readonly TierSettings[];
  defaults: ResolvedEntryPolicy;
  bus: CacheBus | undefined;
  lock: CacheLock | undefined;
  lockTimeout: number;
  clock: Clock;
}

/** Checks every option and returns a new frozen object; throws `E_INVALID_*` on the first mistake. */
export function resolveOptions(options: CacheOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  const namespace = options.namespace ?? 'cachette';
  assertNamespace(namespace);
  const version = options.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 0) throw invalid(`version: ${JSON.stringify(version)} must be an integer >= 0`);
  const storeTimeout = parseDuration(options.storeTimeout ?? '1s', 'storeTimeout');
  const breaker = Object.freeze({
    failures: positiveInt(options.circuitBreaker?.failures ?? 3, 'circuitBreaker.failures'),
    duration: parseDuration(options.circuitBreaker?.duration ?? '2s', 'circuitBreaker.duration'),
  });
  const tierOptions = options.tiers ?? [{ store: memoryStore() }];
  if (!Array.isArray(tierOptions) || tierOptions.length === 0)
    throw invalid('tiers: give at least one tier, or leave tiers out for one memory tier');
  const tiers = tierOptions.map((tier, i) => resolveTier(tier, i, storeTimeout, breaker));
  return Object.freeze({
    namespace,
    version,
    tiers: Object.freeze(tiers),
    defaults: resolveEntryPolicy(options, undefined),
    bus: checkHas(options.bus, ['publish', 'subscribe'], 'bus'),
    lock: checkHas(options.lock, ['acquire'], 'lock'),
    lockTimeout: parseDuration(options.lockTimeout ?? '5s', 'lockTimeout'),
    clock: checkHas(options.clock, ['now', 'setTimeout', 'clearTimeout'], 'clock') ?? systemClock,
  });
}

/** Merges per-call options over the defaults (or over nothing, for `createCache` itself). */
export function resolveEntryPolicy(options: GetOrSetOptions, defaults: ResolvedEntryPolicy | undefined): ResolvedEntryPolicy {
  const jitter = options.jitter ?? defaults?.jitter ?? 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1))
    throw invalid(`jitter: ${JSON.stringify(jitter)} must be a number from 0 to 1`);
  return Object.freeze({
    ttl: parseOptionalDuration(options.ttl, 'ttl') ?? defaults?.ttl ?? 300_000,
    staleWhileRevalidate:
      parseOptionalDuration(options.staleWhileRevalidate, 'staleWhileRevalidate') ?? defaults?.staleWhileRevalidate ?? 0,
    staleIfError: parseOptionalDuration(options.staleIfError, 'staleIfError') ?? defaults?.staleIfError ?? 0,
    jitter,
    softTimeout: parseOptionalDuration(options.softTimeout, 'softTimeout') ?? defaults?.softTimeout ?? 0,
    hardTimeout: parseOptionalDuration(options.hardTimeout, 'hardTimeout') ?? defaults?.hardTimeout ?? 0,
  });
}

/** Checks a tag list; returns a frozen copy. */
export function resolveTags(tags: unknown): readonly string[] {
  if (tags === undefined) return EMPTY;
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.length > 0)) {
    throw new InvalidOptionError(ErrorCode.InvalidOption, message('tags must be an array of non-empty strings'));
  }
  return tags.length === 0 ? EMPTY : Object.freeze([...new Set(tags as string[])]);
}

const EMPTY: readonly string[] = Object.freeze([]);

function resolveTier(tier: TierOptions, i: number, storeTimeout: number, breaker: TierSettings['breaker']): TierSettings {
  const store = checkHas(tier?.store, ['get', 'set', 'delete'], `tiers[${i}].store`);
  if (!store) throw invalid(`tiers[${i}].store is required (memoryStore(), keyvStore(…) or your own CacheStore)`);
  const ttl = parseOptionalDuration(tier.ttl, `tiers[${i}].ttl`) ?? Number.POSITIVE_INFINITY;
  if (ttl === 0) throw invalid(`tiers[${i}].ttl must be more than 0`);
  return Object.freeze({ store, ttl, timeout: parseOptionalDuration(tier.timeout, `tiers[${i}].timeout`) ?? storeTimeout, breaker });
}

function checkHas<T>(value: T | undefined, methods: string[], name: string): T | undefined {
  if (value === undefined) return undefined;
  const missing = methods.filter((m) => typeof (value as Record<string, unknown> | null)?.[m] !== 'function');
  if (missing.length > 0) throw invalid(`${name} must have ${missing.join(', ')}()`);
  return value;
}

function positiveInt(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw invalid(`${name}: ${JSON.stringify(value)} must be a positive integer`);
  return value as number;
}

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, message(text));
}
