import { type Entry, freshOnlyUntil } from './entry.js';
import type { Tier } from './tier.js';

/** When a tag (or a namespace, for clear) was last deleted and last expired; 0 for never. */
export interface Mark {
  d: number;
  x: number;
}

/** Marks remembered; past this the least recently written is forgotten (and read again when due). */
const MAX_MARKS = 100_000;

/**
 * A map that forgets its oldest write past `max` entries. Unlike lru-cache, it allocates nothing
 * ahead: an lru-cache of 100,000 preallocated 1.6 MB of heap per cache, whatever it held.
 */
class BoundedMap<V> {
  readonly #map = new Map<string, V>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as string);
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }
}

/** How long a mark read from a shared tier is trusted before it is read again. */
const REFRESH_MS = 1_000;
/** How long a shared tier keeps a mark when the tier has no TTL cap of its own. */
export const MARK_TTL_MS = 30 * 86_400_000;

/**
 * Tag and clear marks. `deleteByTag`, `expireByTag` and `clear` record the instant they ran;
 * an entry from a shared tier made before a mark is dropped (delete) or turned stale (expire).
 * This reaches every process that shares the tier, without listing keys by tag.
 */
export class Marks {
  readonly #known = new BoundedMap<{ mark: Mark; checkedAt: number }>(MAX_MARKS);

  /** Records a mark made here or heard on the bus. */
  record(markKey: string, mode: 'delete' | 'expire', at: number): Mark {
    const mark = { ...(this.#known.get(markKey)?.mark ?? { d: 0, x: 0 }) };
    if (mode === 'delete') mark.d = Math.max(mark.d, at);
    else mark.x = Math.max(mark.x, at);
    this.#known.set(markKey, { mark, checkedAt: this.#known.get(markKey)?.checkedAt ?? 0 });
    return mark;
  }

  /**
   * Messages were missed (the bus lost its subscription): every mark known here is read from the
   * shared tier again before it next judges an entry. What is known is kept, since the tier may
   * not hold it yet (a mark whose write waits to be made again).
   */
  recheckAll(): void {
    for (const known of this.#known.values()) known.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /** The mark known here for a key. */
  current(markKey: string): Mark {
    return { ...(this.#known.get(markKey)?.mark ?? { d: 0, x: 0 }) };
  }

  /**
   * Judges `entry` by its marks, first reading from `tier` those not checked in the last
   * second. Answers synchronously when no mark is due, which is nearly always.
   */
  judge(entry: Entry, markKeys: readonly string[], tier: Tier, now: number): Entry | undefined | Promise<Entry | undefined> {
    let due: string[] | undefined;
    for (const key of markKeys) {
      const known = this.#known.get(key);
      if (known !== undefined && known.checkedAt + REFRESH_MS > now) continue;
      due ??= [];
      due.push(key);
    }
    if (!due) return this.apply(entry, markKeys);
    return this.#refresh(due, tier, now).then(() => this.apply(entry, markKeys));
  }

  async #refresh(keys: string[], tier: Tier, now: number): Promise<void> {
    const raws = await tier.getRaw(keys);
    // an unreadable tier leaves the marks we know; they are retried next time
    if (raws) {
      for (const [i, key] of keys.entries()) this.#merge(key, raws[i], now);
    }
  }

  /** Judges `entry` by the marks known here, without I/O. */
  apply(entry: Entry, markKeys: readonly string[]): Entry | undefined {
    let expiredAt = 0;
    for (const key of markKeys) {
      const mark = this.#known.get(key)?.mark;
      if (!mark) continue;
      if (mark.d >= entry.createdAt) return undefined;
      if (mark.x >= entry.createdAt) expiredAt = Math.max(expiredAt, mark.x);
    }
    if (expiredAt === 0 || entry.freshUntil <= expiredAt) return entry;
    return freshOnlyUntil(entry, expiredAt);
  }

  #merge(key: string, raw: unknown, now: number): void {
    const known = this.#known.get(key)?.mark ?? { d: 0, x: 0 };
    // a store may hand back the JSON text it keeps rather than the parsed value
    const read = (typeof raw === 'string' ? safeParse(raw) : raw) as Partial<Mark> | undefined;
    const d = typeof read?.d === 'number' ? read.d : 0;
    const x = typeof read?.x === 'number' ? read.x : 0;
    this.#known.set(key, { mark: { d: Math.max(known.d, d), x: Math.max(known.x, x) }, checkedAt: now });
  }
}

/**
 * Which keys of one memory tier carry a tag, so that `deleteByTag` and `expireByTag` act on
 * that tier at once. Keys leave the index when the tier drops them.
 */
export class TagIndex {
  readonly #keys = new Map<string, Set<string>>();

  add(key: string, markKeys: readonly string[]): void {
    for (const mark of markKeys) {
      let keys = this.#keys.get(mark);
      if (!keys) {
        keys = new Set();
        this.#keys.set(mark, keys);
      }
      keys.add(key);
    }
  }

  remove(key: string, markKeys: readonly string[]): void {
    for (const mark of markKeys) {
      const keys = this.#keys.get(mark);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.#keys.delete(mark);
    }
  }

  /** The keys filed under a mark; the caller checks each entry still carries it. */
  take(markKey: string): string[] {
    const keys = this.#keys.get(markKey);
    return keys ? [...keys] : [];
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
