import type { CachetteError } from '../errors.js';
import type { LocalTier } from '../stores/memory-store.js';
import type { Clock } from '../time/clock.js';
import type { Outcome } from './cache.js';
import type { BusMessage } from './coordination.js';
import { type Entry, newest } from './entry.js';
import { CacheEventBus } from './events.js';
import { detach, Invalidations } from './invalidations.js';
import { tagMarkKeys } from './keys.js';
import { MARK_TTL_MS, Marks, TagIndex } from './marks.js';
import type { ResolvedOptions } from './options.js';
import { reportedError } from './reported-error.js';
import { encodeEntry, packEntry } from './serializer.js';
import { SingleFlight } from './single-flight.js';
import { StatsCounter } from './stats.js';
import { type EncodedEntry, Tier } from './tier.js';

/** A lookup result: the best entry found and the tier it came from. */
export interface Found {
  entry: Entry;
  tier: number;
}

/**
 * The state every namespace view of one cache shares, and the moves across tiers: read down
 * with back-fill, write to all, delete from all, tag and clear marks, bus messages.
 */
export class Engine {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly tiers: readonly Tier[];
  /** The first tier when it is an in-process store: read synchronously on the hot path. */
  readonly l1: Tier | undefined;
  /** The first tier when it is a `memoryStore()`: read by namespace and caller key. */
  readonly local: LocalTier | undefined;
  readonly events = new CacheEventBus();
  readonly stats: StatsCounter;
  /** Loads under way, by store key (a background refresh is one). */
  readonly flights = new SingleFlight<unknown>();
  /** `getOrSet` misses under way, by store key: the read of the lower tiers and the load together. */
  readonly misses = new SingleFlight<Outcome>();
  readonly marks = new Marks();
  /** Epochs that keep work begun before an invalidation from landing after it. */
  readonly invalidations = new Invalidations();
  readonly #indexes = new Map<Tier, TagIndex>();
  readonly #anyShared: boolean;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.clock = options.clock;
    const report = {
      error: (error: CachetteError, tier: Tier, operation: string, key?: string) => this.reportError(error, operation, key, tier),
      circuit: (tier: Tier, state: 'open' | 'closed') => this.events.emit('circuit', { tier: tier.name, state }),
    };
    this.tiers = options.tiers.map((settings, i) => new Tier(settings, i, this.clock, report));
    this.l1 = this.tiers[0]?.shared === false ? this.tiers[0] : undefined;
    this.local = this.l1?.local;
    this.#anyShared = this.tiers.some((t) => t.shared);
    this.stats = new StatsCounter(this.tiers.length);
    for (const tier of this.tiers) {
      const index = tier.shared ? undefined : new TagIndex();
      if (index) this.#indexes.set(tier, index);
      tier.store.attach?.({
        clock: this.clock,
        onReady: () => tier.ready(),
        onDrop: index ? (key, value) => index.remove(key, tagMarkKeys(key, (value as Entry).tags ?? [])) : undefined,
      });
    }
    if (options.bus) {
      // a bus that cannot subscribe leaves memory tiers uncoordinated: report it, never crash
      Promise.resolve()
        .then(() => options.bus?.subscribe((message) => this.receive(message)))
        .catch((error: Error) => this.reportError(error, 'subscribe'));
    }
  }

  reportError(error: unknown, operation: string, key?: string, tier?: Tier): void {
    this.stats.errors++;
    if (tier) this.stats.tierErrors[tier.index] = (this.stats.tierErrors[tier.index] ?? 0) + 1;
    this.events.emit('error', { error: reportedError(error, operation), operation, key, tier: tier?.name });
  }

  /**
   * Walks the tiers from `from` down and returns the first fresh entry, or else the newest
   * stale one still of use. A find below the first tier back-fills the tiers above it.
   */
  async lookup(key: string, clearMarks: readonly string[], from = 0, seed?: Entry, callerKey?: string): Promise<Found | undefined> {
    const since = this.invalidations.begin();
    try {
      let best: Found | undefined = seed ? { entry: seed, tier: 0 } : undefined;
      for (let i = from; i < this.tiers.length; i++) {
        const tier = this.tiers[i] as Tier;
        this.stats.countRead(i);
        const raw = await tier.get(key);
        let entry = raw;
        if (raw && tier.shared) {
          const marks = raw.tags.length === 0 ? clearMarks : [...clearMarks, ...tagMarkKeys(key, raw.tags)];
          const judged = this.marks.judge(raw, marks, tier, this.clock.now());
          entry = judged instanceof Promise ? await judged : judged;
        }
        if (!entry) continue;
        if (best?.entry !== newest(best?.entry, entry)) best = { entry, tier: i };
        if (this.clock.now() < entry.freshUntil) break;
      }
      if (best && best.tier > 0) this.#backFill(key, best, clearMarks, since, callerKey);
      return best;
    } finally {
      this.invalidations.end();
    }
  }

  /** Writes a lower tier's find into the tiers above it, unless its key was invalidated since the read began. */
  #backFill(key: string, found: Found, clearMarks: readonly string[], since: number, callerKey: string | undefined): void {
    // a value made by the invalidating write itself (its bus message came late) may still land
    if (!this.current(since, key, found.entry.tags, clearMarks, found.entry.createdAt)) return;
    this.write(key, found.entry, 0, found.tier, callerKey).catch((error: Error) => this.reportError(error, 'backfill', key));
  }

  /**
   * True when nothing invalidated `key`, its tags or its namespaces since epoch `since`; else the
   * work begun then is counted as discarded.
   */
  current(since: number, key: string, tags: readonly string[], clearMarks: readonly string[], madeAt?: number): boolean {
    const marks = tags.length === 0 ? clearMarks : [...clearMarks, ...tagMarkKeys(key, tags)];
    if (this.invalidations.unchangedSince(since, key, marks, madeAt)) return true;
    this.stats.discarded++;
    return false;
  }

  /**
   * Records an invalidation of store keys or marks, here or heard on the bus: work begun before it
   * will not land after it, and later callers of those keys do not join it.
   */
  invalidate(names: readonly string[], at: number, keys = false): void {
    this.invalidations.record(names, at);
    if (keys) detach(names, this.misses, this.flights);
  }

  /**
   * Writes an entry to tiers `[from, to)`. Encodes once for all shared tiers, so a value that
   * cannot be stored throws before any tier is written. Store failures are reported, not thrown.
   */
  async write(key: string, entry: Entry, from = 0, to = this.tiers.length, callerKey?: string): Promise<void> {
    const encoded: EncodedEntry = {};
    try {
      if (this.#anyShared) {
        for (let i = from; i < to; i++) {
          const tier = this.tiers[i] as Tier;
          if (tier.packed) encoded.packed ??= packEntry(entry);
          else if (tier.shared) encoded.wire ??= encodeEntry(entry);
        }
      }
    } catch (error) {
      // thrown to the caller, and reported too: a background write has no caller to see it
      this.reportError(error as Error, 'encode', callerKey);
      throw error;
    }
    const writes: Promise<void>[] = [];
    for (let i = from; i < to; i++) {
      const tier = this.tiers[i] as Tier;
      writes.push(tier.set(key, entry, encoded, callerKey));
      if (entry.tags.length > 0) this.#indexes.get(tier)?.add(key, tagMarkKeys(key, entry.tags));
    }
    await Promise.all(writes);
  }

  /** Deletes keys from every tier and tells other processes. */
  async remove(keys: readonly string[]): Promise<boolean> {
    // a value made in the very millisecond of the delete may be older: only later ones are newer
    const at = this.clock.now() + 1;
    this.invalidate(keys, at, true);
    const message: BusMessage = { type: 'delete', keys: [...keys], at };
    const results = await Promise.all(this.tiers.map((tier) => tier.delete(keys, () => this.#madeLate(message))));
    this.publish(message);
    return results.some(Boolean);
  }

  /** Applies a tag mark here and in every tier, and tells other processes. */
  async markTags(markKeys: readonly string[], mode: 'delete' | 'expire'): Promise<void> {
    if (markKeys.length === 0) return;
    const at = this.clock.now();
    this.invalidate(markKeys, at + 1);
    this.#applyTagsLocally(markKeys, mode, at);
    const message: BusMessage = { type: 'tags', marks: [...markKeys], mode, at };
    await this.#writeMarks(markKeys, message);
    this.publish(message);
  }

  /** Clears one namespace: memory tiers at once, shared tiers by scan where they can, and a clear mark everywhere. */
  async clear(prefix: string, clearMark: string): Promise<void> {
    const at = this.clock.now();
    this.invalidate([clearMark], at + 1);
    this.marks.record(clearMark, 'delete', at);
    await Promise.all(this.tiers.map((tier) => tier.clearPrefix(prefix)));
    const message: BusMessage = { type: 'clear', prefix, mark: clearMark, at };
    await this.#writeMarks([clearMark], message);
    this.publish(message);
  }

  receive(message: BusMessage): void {
    const local = this.tiers.filter((t) => !t.shared);
    if (message.type === 'delete') {
      this.invalidate(message.keys, message.at ?? Number.POSITIVE_INFINITY, true);
      for (const tier of local) void tier.delete(message.keys);
    } else if (message.type === 'tags') {
      this.invalidate(message.marks, message.at + 1);
      this.#applyTagsLocally(message.marks, message.mode, message.at);
    } else if (message.type === 'clear') {
      this.invalidate([message.mark], message.at + 1);
      this.marks.record(message.mark, 'delete', message.at);
      for (const tier of local) void tier.clearPrefix(message.prefix);
    } else if (message.type === 'resync') {
      // invalidations were missed: nothing begun before lands, memory holds nothing older, and
      // the marks known here are read again from the shared tiers
      this.invalidations.invalidateAll();
      this.marks.recheckAll();
      for (const tier of local) void tier.clearPrefix('');
    }
  }

  publish(message: BusMessage): void {
    const bus = this.options.bus;
    if (!bus) return;
    bus.publish(message).catch((error: Error) => this.reportError(error, 'publish'));
  }

  /**
   * An invalidation a shared tier failed has landed there at last. Until then that tier still
   * served the old value, to this process and to any that missed the first message (a subscription
   * being made again): applied here once more, and published again, it drops what they read meanwhile.
   */
  #madeLate(message: BusMessage): void {
    this.receive(message);
    this.publish(message);
  }

  #applyTagsLocally(markKeys: readonly string[], mode: 'delete' | 'expire', at: number): void {
    for (const markKey of markKeys) {
      this.marks.record(markKey, mode, at);
      for (const [tier, index] of this.#indexes) {
        for (const key of index.take(markKey)) this.#applyToLocalEntry(tier, index, key, markKey, mode, at);
      }
    }
  }

  #applyToLocalEntry(tier: Tier, index: TagIndex, key: string, markKey: string, mode: 'delete' | 'expire', at: number): void {
    const entry = tier.store.get(key) as Entry | undefined;
    if (!entry || !tagMarkKeys(key, entry.tags).includes(markKey)) {
      index.remove(key, [markKey]);
    } else if (mode === 'delete') {
      tier.store.delete(key);
    } else if (tier.local) {
      // a memory tier gives back a copy of what it keeps: the change is made in the tier
      tier.local.freshOnlyUntil(key, at);
    } else if (entry.freshUntil > at) {
      entry.freshUntil = at;
    }
  }

  /** Writes marks to the shared tiers; one that fails is made again once the tier answers (see `#madeLate`). */
  async #writeMarks(markKeys: readonly string[], message: BusMessage): Promise<void> {
    const shared = this.tiers.filter((t) => t.shared);
    if (shared.length === 0) return;
    const late = () => this.#madeLate(message);
    const writes = markKeys.map((markKey) => {
      const mark = this.marks.current(markKey);
      return shared.map((tier) => tier.mergeRaw(markKey, { ...mark }, Math.min(tier.ttl, MARK_TTL_MS), late));
    });
    await Promise.all(writes.flat());
  }
}
