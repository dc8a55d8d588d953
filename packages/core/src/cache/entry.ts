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
  const freshUntil = now + times.ttl;
  return {
    value,
    createdAt: now,
    freshUntil,
    staleUntil: freshUntil + times.staleWhileRevalidate,
    staleIfErrorUntil: freshUntil + times.staleIfError,
    tags,
  };
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
