import { isVaryList } from './learn-vary.js';

/**
 * A stored page: the response as it is replayed, and the instants (ms, page-cache clock) that
 * govern it. The page cache keeps its own freshness: the engine only holds the record for its
 * whole useful life, so that a stale page can still be read for SWR and stale-if-error.
 */
export interface PageRecord {
  status: number;
  /** Lower-cased names; no hop-by-hop, `Set-Cookie`, `Age`, `Date` or `Cache-Status`. */
  headers: Record<string, string | string[]>;
  body: Uint8Array;
  storedAt: number;
  /** The origin's own `Age`, in seconds, when the page was stored (RFC 9111 §4.2.3). */
  initialAge: number;
  freshUntil: number;
  /** Until when it is served stale while one background render refreshes it (RFC 5861 §3). */
  staleUntil: number;
  /** Until when it stands in for a failing render (RFC 5861 §4). */
  staleIfErrorUntil: number;
  /** Stored from a `public`, `s-maxage` or `must-revalidate` response: may answer a request with Authorization (RFC 9111 §3.5). */
  shared: boolean;
  /** `must-revalidate`, `proxy-revalidate` or `s-maxage`: never served stale, not even after a soft purge. Absent: treated as true. */
  noStale?: boolean;
  etag?: string;
  /** The `ETag` is the cache's own (made from the body): never sent to the handler as a validator. */
  generatedEtag?: boolean;
  lastModified?: number;
  /**
   * The request headers the record was keyed on (its own `Vary`, the route's, and every name
   * the URL's list had learned): it answers only a lookup under a list it covers.
   */
  varyNames?: readonly string[];
}

/** True when the record was keyed on every name of the URL's list (RFC 9111 §4.1: all the secondary keys match). */
export function coversVaryList(record: PageRecord, list: readonly string[]): boolean {
  const own = record.varyNames;
  return own === undefined || list.every((name) => own.includes(name));
}

/** Where a record stands at an instant. */
export type Freshness = 'fresh' | 'stale-while-revalidate' | 'stale';

export function freshness(record: PageRecord, now: number): Freshness {
  if (now < record.freshUntil) return 'fresh';
  if (now < record.staleUntil) return 'stale-while-revalidate';
  return 'stale';
}

/** True while the record may stand in for a render that failed (as the engine's `canStandInForError`). */
export function canStandInForError(record: PageRecord, now: number): boolean {
  return now < record.staleIfErrorUntil || now < record.staleUntil;
}

/** The record's age in whole seconds (RFC 9111 §4.2.3), never negative. */
export function ageSeconds(record: PageRecord, now: number): number {
  return record.initialAge + Math.max(0, Math.floor((now - record.storedAt) / 1000));
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * True when a value read back from a store has the shape of a record. A shared store is
 * outside the process: what it returns is checked before it is replayed to anyone.
 */
export function isPageRecord(value: unknown): value is PageRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<PageRecord>;
  return (
    Number.isInteger(r.status) &&
    (r.status as number) >= 200 &&
    (r.status as number) < 500 &&
    r.body instanceof Uint8Array &&
    isHeaders(r.headers) &&
    [r.storedAt, r.initialAge, r.freshUntil, r.staleUntil, r.staleIfErrorUntil].every(isTime) &&
    typeof r.shared === 'boolean' &&
    (r.noStale === undefined || typeof r.noStale === 'boolean') &&
    (r.etag === undefined || typeof r.etag === 'string') &&
    (r.generatedEtag === undefined || typeof r.generatedEtag === 'boolean') &&
    (r.lastModified === undefined || isTime(r.lastModified)) &&
    (r.varyNames === undefined || isVaryList(r.varyNames))
  );
}

function isHeaders(value: unknown): value is Record<string, string | string[]> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).every(
    ([name, v]) =>
      name === name.toLowerCase() && (typeof v === 'string' || (Array.isArray(v) && v.every((item) => typeof item === 'string'))),
  );
}
