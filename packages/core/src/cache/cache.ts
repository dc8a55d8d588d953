import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import type { SlotRef } from '../stores/grouped-lru.js';
import { NOT_FRESH } from '../stores/memory-store.js';
import type { Clock } from '../time/clock.js';
import { type Duration, parseDuration } from '../time/duration.js';
import type { Engine } from './engine.js';
import { type Entry, keepUntil, makeEntry } from './entry.js';
import type { CacheEventName, CacheEvents } from './events.js';
import { fragmentKey } from './fragment.js';
import { jitteredTtl } from './jitter.js';
import { assertKey, assertNamespace, isReadablePart, type KeySpace } from './keys.js';
import { assertNotLoading, type Loader, raceSoftTimeout, startLoad } from './load.js';
import { type EntryOptions, type GetOrSetOptions, resolveEntryPolicy, resolveTags } from './options.js';
import type { CacheStats } from './stats.js';
import type { Tier } from './tier.js';

/** Set by `Cache`'s static block: the one place outside the class that reads its reader. */
let readsOf: (cache: Cache) => LocalReads | undefined;

/**
 * A multi-tier cache: memory first, then shared stores, each with its own TTL cap; entries are
 * served stale-while-revalidate and stand in for failing loaders (stale-if-error). Make one
 * with `createCache`. `namespace(name)` gives a view with its own keys, tags and `clear()`.
 *
 * @example
 * ```ts
 * const cache = createCache({ ttl: '5m', staleWhileRevalidate: '1m' })
 * const user = await cache.getOrSet(`user:${id}`, () => db.users.find(id), { tags: [`user:${id}`] })
 * await cache.deleteByTag(`user:${id}`)
 * ```
 */
export class Cache {
  readonly #engine: Engine;
  readonly #space: KeySpace;
  /** Clear marks of this namespace and every namespace above it. */
  readonly #clearMarks: readonly string[];
  /** See {@link localReadsOf}; null when the first tier is not a `memoryStore()`. */
  #reads: LocalReads | null | undefined;

  static {
    readsOf = (cache) => {
      if (cache.#reads === undefined) cache.#reads = cache.#makeReads();
      return cache.#reads ?? undefined;
    };
  }

  /** @internal Use `createCache`. */
  constructor(engine: Engine, space: KeySpace, parentClearMarks: readonly string[] = []) {
    this.#engine = engine;
    this.#space = space;
    this.#clearMarks = Object.freeze([...parentClearMarks, space.clearMark]);
  }

  /** The namespace path with its version, as keys are laid out: `shop@1`, or `shop@1/users` for a child. */
  get path(): string {
    return this.#space.path;
  }

  /**
   * Where this cache reads the time and sets its timers (`createCache({ clock })`, default
   * `systemClock`); namespaces share it. A page cache on this cache uses it too.
   *
   * @example
   * ```ts
   * const clock = manualClock()
   * createCache({ clock }).clock === clock // true
   * ```
   */
  get clock(): Clock {
    return this.#engine.clock;
  }

  /**
   * True when this cache was made with a cluster `lock` (`createCache({ lock })`): a page cache
   * on it then renders a page once across every process sharing the lock, not only once per process.
   *
   * @example
   * ```ts
   * createCache({ lock: redisLock({ url }) }).locking // true
   * ```
   */
  get locking(): boolean {
    return this.#engine.options.lock !== undefined;
  }

  /**
   * Takes the cluster lock on `key` (laid out as this cache lays out its keys, so namespaces
   * never share a lock), the one `getOrSet` takes around a loader. Waits up to `wait` ms for
   * another holder; the lock lapses after `ttl` ms if never released. Resolves to its release,
   * or `undefined` when `wait` passed (or the cache has no lock: see {@link Cache.locking}).
   * Rejects when the lock itself fails (Redis unreachable): the caller goes on without it.
   *
   * @example
   * ```ts
   * const release = await cache.acquireLock('report:2024', { ttl: 30_000, wait: 5_000 })
   * if (release) try { await build() } finally { await release() }
   * ```
   */
  async acquireLock(key: string, options: { ttl: number; wait: number }): Promise<(() => Promise<void>) | undefined> {
    const { lock } = this.#engine.options;
    if (lock === undefined) return undefined;
    assertKey(key);
    return lock.acquire(this.#space.entry(key), options);
  }

  /**
   * A view whose keys, tags and `clear()` are its own; it shares tiers and events with this cache.
   *
   * @example
   * ```ts
   * const users = cache.namespace('users')
   * await users.clear() // only users' entries
   * ```
   */
  namespace(name: string): Cache {
    assertNamespace(name);
    return new Cache(this.#engine, this.#space.child(name), this.#clearMarks);
  }

  /** The fresh value under `key`, or `undefined`. */
  get<T = unknown>(key: string): Promise<T | undefined> {
    // a fresh memory hit answers without entering an async function: one promise, made resolved
    const value = this.#freshLocal(key);
    return value === NOT_FRESH ? this.#get<T>(key) : Promise.resolve(value as T);
  }

  async #get<T>(key: string): Promise<T | undefined> {
    const l1 = this.#engine.l1;
    let seed: Entry | undefined;
    if (l1) {
      this.#engine.stats.countRead(0);
      seed = this.#first(key, l1);
      if (seed !== undefined && this.#engine.clock.now() < seed.freshUntil) return this.#hit(key, seed, 0) as T;
    }
    const storeKey = this.#storeKey(key);
    const found = await this.#engine.lookup(storeKey, this.#clearMarks, l1 ? 1 : 0, seed, key);
    if (found && this.#engine.clock.now() < found.entry.freshUntil) return this.#hit(key, found.entry, found.tier) as T;
    this.#miss(key);
    return undefined;
  }

  /**
   * The value under `key` and until when the cache holds it fresh, stale values included while
   * they are kept (an entry `expireByTag` turned stale reads with `freshUntil` in the past). For
   * layers that keep their own freshness in the value, as the page cache does.
   *
   * @example
   * ```ts
   * const found = await cache.getEntry<Page>(key)
   * if (found && found.freshUntil <= Date.now()) revalidate(found.value)
   * ```
   */
  async getEntry<T = unknown>(key: string): Promise<{ value: T; freshUntil: number } | undefined> {
    const engine = this.#engine;
    const l1 = engine.l1;
    let seed: Entry | undefined;
    if (l1) {
      engine.stats.countRead(0);
      seed = this.#first(key, l1);
    }
    // the store key (a hash for long keys) only when a lower tier must be asked
    const found =
      seed !== undefined && engine.clock.now() < seed.freshUntil
        ? { entry: seed, tier: 0 }
        : await engine.lookup(this.#storeKey(key), this.#clearMarks, l1 ? 1 : 0, seed, key);
    const now = engine.clock.now();
    if (found === undefined || now >= keepUntil(found.entry)) {
      this.#miss(key);
      return undefined;
    }
    const { entry } = found;
    return { value: this.#hit(key, entry, found.tier, now >= entry.freshUntil) as T, freshUntil: entry.freshUntil };
  }

  /**
   * The fresh value in the first tier, read synchronously, or `undefined` (absent, stale, or the
   * first tier is not in-process). For code that cannot await; it never looks further down.
   *
   * @example
   * ```ts
   * const cached = cache.peek<Price>(`price:${sku}`) ?? computePrice(sku)
   * ```
   */
  peek<T = unknown>(key: string): T | undefined {
    const value = this.#freshLocal(key);
    if (value !== NOT_FRESH) return value as T;
    const l1 = this.#engine.l1;
    if (!l1) return undefined;
    this.#engine.stats.countRead(0);
    const entry = this.#first(key, l1);
    if (entry === undefined || this.#engine.clock.now() >= entry.freshUntil) return undefined;
    return this.#hit(key, entry, 0) as T;
  }

  /**
   * The value under `key`; on a miss, runs `loader` once however many callers wait, stores
   * and returns its value. A stale value within `staleWhileRevalidate` is answered at once and
   * refreshed in the background; within `staleIfError` it stands in for a loader that fails.
   */
  getOrSet<T>(key: string, loader: Loader<T>, options?: GetOrSetOptions): Promise<T> {
    const value = this.#freshLocal(key);
    return value === NOT_FRESH ? this.#getOrSet(key, loader, options) : Promise.resolve(value as T);
  }

  async #getOrSet<T>(key: string, loader: Loader<T>, options: GetOrSetOptions | undefined): Promise<T> {
    const l1 = this.#engine.l1;
    let seed: Entry | undefined;
    if (l1) {
      this.#engine.stats.countRead(0);
      seed = this.#first(key, l1);
      if (seed !== undefined && this.#engine.clock.now() < seed.freshUntil) return this.#hit(key, seed, 0) as T;
    }
    const storeKey = this.#storeKey(key);
    if (typeof loader !== 'function') throw invalid('getOrSet: loader must be a function');
    return this.#shareMiss(key, storeKey, () => this.#resolveMiss(key, storeKey, loader, options, seed, l1 ? 1 : 0)) as Promise<T>;
  }

  /** Joins the miss under way for `storeKey`, or starts one with `resolve`; counts the outcome for this caller. */
  async #shareMiss(key: string, storeKey: string, resolve: () => Promise<Outcome>): Promise<unknown> {
    assertNotLoading(storeKey, key);
    const misses = this.#engine.misses;
    // the flight begins before the shared tiers are read: callers that arrive while it reads,
    // loads or stores all share its outcome, so one miss runs one loader
    const joined = misses.get(storeKey);
    let outcome: Outcome;
    try {
      outcome = await (joined ?? misses.run(storeKey, resolve));
    } catch (error) {
      if (joined) this.#miss(key);
      throw error;
    }
    if (outcome.entry) return this.#hit(key, outcome.entry, outcome.tier, outcome.stale);
    if (joined) this.#miss(key);
    return outcome.value;
  }

  /** One miss, once for all its callers: the lower tiers, then (if need be) the loader. */
  async #resolveMiss<T>(
    key: string,
    storeKey: string,
    loader: Loader<T>,
    options: GetOrSetOptions | undefined,
    seed: Entry | undefined,
    from: number,
  ): Promise<Outcome> {
    const engine = this.#engine;
    const policy = options ? resolveEntryPolicy(options, engine.options.defaults) : engine.options.defaults;
    const tags = resolveTags(options?.tags);
    const found = await engine.lookup(storeKey, this.#clearMarks, from, seed, key);
    const now = engine.clock.now();
    if (found && now < found.entry.freshUntil) return { entry: found.entry, tier: found.tier, stale: false, value: undefined };
    const job = { key, storeKey, loader, policy, tags, fallback: found?.entry, clearMarks: this.#clearMarks, background: false };
    if (found && now < found.entry.staleUntil) {
      // RFC 5861 §3: answer stale at once, one refresh in the background
      if (!engine.flights.get(storeKey)) startLoad(engine, { ...job, background: true }).catch(() => undefined);
      return { entry: found.entry, tier: found.tier, stale: true, value: undefined };
    }
    this.#miss(key);
    const load = startLoad(engine, job);
    const value =
      found && policy.softTimeout > 0 ? await raceSoftTimeout(engine, load, found.entry.value as T, policy.softTimeout, key) : await load;
    return { entry: undefined, tier: -1, stale: false, value };
  }

  /** Stores `value` under `key` in every tier. Throws `E_NOT_SERIALIZABLE` if a shared tier cannot hold it. */
  async set<T>(key: string, value: T, options?: EntryOptions): Promise<void> {
    const storeKey = this.#storeKey(key);
    const engine = this.#engine;
    const policy = options ? resolveEntryPolicy(options, engine.options.defaults) : engine.options.defaults;
    const tags = resolveTags(options?.tags);
    const ttl = jitteredTtl(policy.ttl, policy.jitter);
    const entry = makeEntry(value, { ...policy, ttl }, tags, engine.clock.now());
    // a read or load of this key under way must not land its older value after this one
    engine.invalidate([storeKey], entry.createdAt, true);
    await engine.write(storeKey, entry, 0, engine.tiers.length, key);
    engine.stats.sets++;
    if (engine.events.wants('set')) engine.events.emit('set', { key, tags });
    engine.publish({ type: 'delete', keys: [storeKey], at: entry.createdAt });
  }

  /** True if a fresh value is stored under `key`. */
  async has(key: string): Promise<boolean> {
    const storeKey = this.#storeKey(key);
    const found = await this.#engine.lookup(storeKey, this.#clearMarks);
    return found !== undefined && this.#engine.clock.now() < found.entry.freshUntil;
  }

  /** Deletes `key` from every tier (and, through the bus, from other processes' memory). */
  async delete(key: string): Promise<boolean> {
    return this.deleteMany([key]);
  }

  /** Fresh values of many keys, in order. */
  async getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | undefined>> {
    return Promise.all(keys.map((key) => this.get<T>(key)));
  }

  /** Stores many values. */
  async setMany(items: ReadonlyArray<{ key: string; value: unknown } & EntryOptions>): Promise<void> {
    await Promise.all(items.map(({ key, value, ...options }) => this.set(key, value, options)));
  }

  /** Deletes many keys from every tier; true if any was there. */
  async deleteMany(keys: readonly string[]): Promise<boolean> {
    const storeKeys = keys.map((key) => this.#storeKey(key));
    const existed = await this.#engine.remove(storeKeys);
    this.#engine.stats.deletes += keys.length;
    if (this.#engine.events.wants('delete')) this.#engine.events.emit('delete', { keys: [...keys] });
    return existed;
  }

  /**
   * Gives the entry under `key` a new life from now: `ttl` (or its own TTL again), keeping its
   * stale windows. False if there is no usable entry.
   */
  async touch(key: string, ttl?: Duration): Promise<boolean> {
    const storeKey = this.#storeKey(key);
    const engine = this.#engine;
    const found = await engine.lookup(storeKey, this.#clearMarks);
    if (!found) return false;
    const { entry } = found;
    const times = {
      ttl: ttl === undefined ? entry.freshUntil - entry.createdAt : parseDuration(ttl, 'ttl'),
      staleWhileRevalidate: entry.staleUntil - entry.freshUntil,
      staleIfError: entry.staleIfErrorUntil - entry.freshUntil,
    };
    const touched = makeEntry(entry.value, times, entry.tags, engine.clock.now());
    engine.invalidate([storeKey], touched.createdAt);
    await engine.write(storeKey, touched);
    engine.publish({ type: 'delete', keys: [storeKey], at: touched.createdAt });
    return true;
  }

  /** Hard: entries with any of these tags are gone from every tier and every process. */
  async deleteByTag(...tags: Array<string | readonly string[]>): Promise<void> {
    await this.#markTags(tags, 'delete');
  }

  /** Soft: entries with any of these tags turn stale; they are served while being refreshed. */
  async expireByTag(...tags: Array<string | readonly string[]>): Promise<void> {
    await this.#markTags(tags, 'expire');
  }

  /** Drops every entry of this namespace (and those below it) — never another namespace's keys. */
  async clear(): Promise<void> {
    await this.#engine.clear(this.#space.prefix, this.#space.clearMark);
    if (this.#engine.events.wants('clear')) this.#engine.events.emit('clear', { namespace: this.#space.path });
  }

  /**
   * Django's `{% cache %}`: the output of `render`, cached under `name` and the values it varies on.
   *
   * @example
   * ```ts
   * const html = await cache.fragment('sidebar', [user.id, lang], () => renderSidebar(user), { ttl: '10m' })
   * await cache.delete(fragmentKey('sidebar', [user.id, lang]))
   * ```
   */
  fragment<T>(name: string, varyOn: readonly unknown[], render: Loader<T>, options?: GetOrSetOptions): Promise<T> {
    return this.getOrSet(fragmentKey(name, varyOn), render, options);
  }

  /**
   * Counters since the cache was made, and what each tier holds now: hit ratios overall and per
   * tier, loads and their time, stale answers, entries and bytes of the memory tier, breaker
   * states. Shared by every namespace of the cache.
   *
   * @example
   * ```ts
   * const { hitRatio, tiers } = cache.stats()
   * console.log(hitRatio, tiers[0].entries, tiers[0].bytes, tiers[1]?.circuit)
   * ```
   */
  stats(): CacheStats {
    return this.#engine.stats.read(this.#engine.tiers);
  }

  /** Listens to a cache event; also published on `node:diagnostics_channel` as `cachette:<event>`. */
  on<E extends CacheEventName>(event: E, listener: (payload: CacheEvents[E]) => void): this {
    this.#engine.events.on(event, listener);
    return this;
  }

  off<E extends CacheEventName>(event: E, listener: (payload: CacheEvents[E]) => void): this {
    this.#engine.events.off(event, listener);
    return this;
  }

  /** Closes what the tiers, the bus and the lock opened. */
  async disconnect(): Promise<void> {
    for (const tier of this.#engine.tiers) tier.close();
    await Promise.all(this.#engine.tiers.map((t) => t.store.disconnect?.()));
    await this.#engine.options.bus?.disconnect?.();
    await this.#engine.options.lock?.disconnect?.();
  }

  async #markTags(tags: Array<string | readonly string[]>, mode: 'delete' | 'expire'): Promise<void> {
    const list = resolveTags(tags.flat());
    await this.#engine.markTags(
      list.map((tag) => this.#space.tag(tag)),
      mode,
    );
    if (this.#engine.events.wants('tags')) this.#engine.events.emit('tags', { tags: list, mode });
  }

  #storeKey(key: string): string {
    assertKey(key);
    return this.#space.entry(key);
  }

  /**
   * The first tier's entry under `key`. A memory tier is probed by the caller's key within this
   * namespace's group, without building the store key: a fresh string to hash costs more than
   * the LRU lookup itself. Keys kept there under their hash (long or odd ones) take the store key.
   */
  #first(key: string, l1: Tier): Entry | undefined {
    const local = this.#engine.local;
    // a key starting with `#` could equal another key's hash part: never probe it as it is
    if (local !== undefined && typeof key === 'string' && key.charCodeAt(0) !== HASH_MARK) {
      const entry = local.getIn(this.#space.entryGroup, key);
      if (entry !== undefined || isReadablePart(key)) return entry as Entry | undefined;
    }
    return l1.store.get(this.#storeKey(key)) as Entry | undefined;
  }

  /**
   * The value under `key` in a memory tier (`memoryStore()`) when it is fresh, the read and the
   * hit counted; else {@link NOT_FRESH}, nothing counted. No entry object is read or made: the
   * tier keeps the value and its instants apart. Keys kept under their hash take the full path.
   */
  #freshLocal(key: string): unknown {
    const engine = this.#engine;
    const local = engine.local;
    if (local === undefined || typeof key !== 'string' || key.charCodeAt(0) === HASH_MARK) return NOT_FRESH;
    const value = local.freshIn(this.#space.entryGroup, key, engine.clock.now());
    return value === NOT_FRESH ? value : this.#localHit(key, value);
  }

  /** Counts a fresh memory-tier hit read without an entry object, as `#hit` does; gives back `value`. */
  #localHit(key: string, value: unknown): unknown {
    const engine = this.#engine;
    engine.stats.freshLocalHits++;
    if (engine.events.wantsHit) engine.events.emit('hit', { key, tier: 0, stale: false });
    return value;
  }

  #makeReads(): LocalReads | null {
    const engine = this.#engine;
    const local = engine.local;
    if (local === undefined) return null;
    const group = this.#space.entryGroup;
    return {
      ref: (key) => (typeof key === 'string' && key.charCodeAt(0) !== HASH_MARK ? local.slotIn(group, key) : undefined),
      read: (ref) => {
        const value = local.freshAt(ref, engine.clock.now());
        return value === NOT_FRESH ? undefined : this.#localHit(ref.part, value);
      },
    };
  }

  #hit(key: string, entry: Entry, tier: number, stale = false): unknown {
    const stats = this.#engine.stats;
    if (stale) stats.staleHits++;
    else stats.hits++;
    stats.tierHits[tier] = (stats.tierHits[tier] ?? 0) + 1;
    if (this.#engine.events.wantsHit) this.#engine.events.emit('hit', { key, tier, stale });
    return entry.value;
  }

  #miss(key: string): void {
    this.#engine.stats.misses++;
    if (this.#engine.events.wants('miss')) this.#engine.events.emit('miss', { key });
  }
}

/** What one miss came to, shared by every caller of its flight: an entry found, or a loaded value. */
export interface Outcome {
  entry: Entry | undefined;
  tier: number;
  stale: boolean;
  value: unknown;
}

/**
 * A cache's memory tier read by slot, for the page cache's hit path: `ref(key)` says where the
 * key's entry is kept (undefined when it is not, or not under the key itself), `read(ref)` answers
 * what `peek(key)` would — the fresh value, the read and the hit counted — without probing the
 * tier's map, or undefined (nothing counted) when the entry is not fresh or the slot holds another
 * key by now; then `peek` and a new `ref`. A ref is read only through the reader that made it.
 */
export interface LocalReads {
  ref(key: string): SlotRef | undefined;
  read(ref: SlotRef): unknown;
}

/** The {@link LocalReads} of a cache made by `createCache` whose first tier is a `memoryStore()`; else undefined. Internal (not exported by the package). */
export function localReadsOf(cache: unknown): LocalReads | undefined {
  return cache instanceof Cache ? readsOf(cache) : undefined;
}

/** `#`, which starts a hashed key part and never a readable one. */
const HASH_MARK = 35;

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, message(text));
}
