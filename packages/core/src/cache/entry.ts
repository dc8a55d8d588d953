/**
 * One cached value and the instants that govern it. All times are milliseconds since the
 * epoch, read from the cache's clock.
 */
export interface Entry<T = unknown> {
  value: T;
  /** When the value was produced. Tag and clear marks compare against it. */
  createdAt: number;
  /** Until when the value is served as fresh. */
  freshUntil: number;
  /** Until when it may be served stale while one refresh runs (RFC 5861 stale-while-revalidate). */
  staleUntil: number;
  /** Until when it may stand in for a failing or slow loader (RFC 5861 stale-if-error). */
  staleIfErrorUntil: number;
  tags: readonly string[];
}

/** The durations, in ms, that turn a value into an {@link Entry}. */
export interface EntryTimes {
  ttl: number;
  staleWhileRevalidate: number;
  staleIfError: number;
}

/** Builds an entry made now. */
export function makeEntry<T>(value: T, times: EntryTimes, tags: readonly string[], now: number): Entry<T> {
  const fresh = times.ttl;
  const stale = fresh + times.staleWhileRevalidate;
  const ifError = fresh + times.staleIfError;
  if (isSmall(fresh) && isSmall(stale) && isSmall(ifError)) return new CompactEntry(value, now, fresh, stale, ifError, tags);
  return { value, createdAt: now, freshUntil: now + fresh, staleUntil: now + stale, staleIfErrorUntil: now + ifError, tags };
}

/** An entry read back with its instants (a shared tier's): compact when its offsets are small. */
export function restoreEntry<T>(
  value: T,
  createdAt: number,
  freshUntil: number,
  staleUntil: number,
  staleIfErrorUntil: number,
  tags: readonly string[],
): Entry<T> {
  const fresh = freshUntil - createdAt;
  const stale = staleUntil - createdAt;
  const ifError = staleIfErrorUntil - createdAt;
  if (isSmall(fresh) && isSmall(stale) && isSmall(ifError)) return new CompactEntry(value, createdAt, fresh, stale, ifError, tags);
  return { value, createdAt, freshUntil, staleUntil, staleIfErrorUntil, tags };
}

/** `entry`, fresh only until `at` (an `expireByTag` mark); the original is left as it is. */
export function freshOnlyUntil<T>(entry: Entry<T>, at: number): Entry<T> {
  const { value, createdAt, staleUntil, staleIfErrorUntil, tags } = entry;
  return { value, createdAt, freshUntil: at, staleUntil, staleIfErrorUntil, tags };
}

/** Offsets up to this many ms (~12 days) are small integers, which V8 keeps unboxed in the object. */
const SMALL = 0x3fffffff;

function isSmall(offset: number): boolean {
  return Number.isInteger(offset) && offset >= -SMALL && offset <= SMALL;
}

/**
 * An entry whose three deadlines are offsets from `createdAt`, kept as small integers in the
 * object itself: epoch milliseconds are each boxed as a 16-byte heap number (the memory tier
 * holds one entry per key, so this is ~48 bytes a key). Entries with longer lives are plain objects.
 */
class CompactEntry<T> implements Entry<T> {
  value: T;
  createdAt: number;
  tags: readonly string[];
  #fresh: number;
  readonly #stale: number;
  readonly #ifError: number;

  constructor(value: T, createdAt: number, fresh: number, stale: number, ifError: number, tags: readonly string[]) {
    this.value = value;
    this.createdAt = createdAt;
    this.tags = tags;
    this.#fresh = fresh;
    this.#stale = stale;
    this.#ifError = ifError;
  }

  get freshUntil(): number {
    return this.createdAt + this.#fresh;
  }

  /** Only ever moved earlier (`expireByTag` on a memory tier); clamped to stay a small offset. */
  set freshUntil(at: number) {
    this.#fresh = Math.max(-SMALL, Math.min(SMALL, Math.floor(at - this.createdAt)));
  }

  get staleUntil(): number {
    return this.createdAt + this.#stale;
  }

  get staleIfErrorUntil(): number {
    return this.createdAt + this.#ifError;
  }
}

/** The last instant at which the entry is of any use; a store may drop it after. */
export function keepUntil(entry: Entry): number {
  return Math.max(entry.staleUntil, entry.staleIfErrorUntil);
}

/** True while the entry may be served stale and refreshed in the background. */
export function isServableStale(entry: Entry, now: number): boolean {
  return now < entry.staleUntil;
}

/** True while the entry may answer for a loader that failed or timed out. */
export function canStandInForError(entry: Entry, now: number): boolean {
  return now < entry.staleIfErrorUntil || now < entry.staleUntil;
}

/** The fresher of two entries (by creation), either may be missing. */
export function newest(a: Entry | undefined, b: Entry | undefined): Entry | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.createdAt > a.createdAt ? b : a;
}
