import { parseHttpDate } from '../http/date.js';
import { parseEntityTag, strongMatch, weakMatch } from '../http/etag.js';
import { headerValue, type RawHeaders, stripHopByHop } from '../http/headers.js';
import type { PageRecord } from './record.js';
import type { PageResponse } from './types.js';

// RFC 9111 §3.2: the stored body's own length stays.
const NOT_UPDATED: readonly string[] = ['content-length'];

/**
 * Whether a `304 Not Modified` selects the stored page for update (RFC 9111 §4.3.4): by its
 * strong `ETag` when it has one (no match, no update); else by a weak `ETag` or its
 * `Last-Modified`; a 304 with no validator at all answers the one page it was asked about.
 *
 * @example
 * selectsStored(record, { 'etag': '"v2"' }) // false when the page's ETag is "v1"
 */
export function selectsStored(record: PageRecord, notModified: RawHeaders): boolean {
  const tag = parseEntityTag(headerValue(notModified, 'etag'));
  if (tag !== undefined && !tag.weak) return record.etag !== undefined && strongMatch(tag, record.etag);
  const lastModified = headerValue(notModified, 'last-modified');
  if (tag !== undefined && record.etag !== undefined && weakMatch(tag, record.etag)) return true;
  if (lastModified !== undefined) {
    return record.lastModified !== undefined && parseHttpDate(lastModified, record.storedAt) === record.lastModified;
  }
  return tag === undefined;
}

/**
 * The stored page freshened by a 304 (RFC 9111 §3.2): each field of the 304 replaces the
 * stored one, except `Content-Length` and the hop-by-hop fields. A 304 without `Date` (Node
 * adds it as the response goes out) takes the stored `Date` away: the page is dated now. The
 * result is judged and stored as a render would be, so every veto still applies (a
 * `Set-Cookie` or `no-store` in the 304 keeps it out of the cache).
 *
 * @example
 * freshenedResponse(record, { 'cache-control': 'max-age=60', date: 'Sat, 05 Dec 2026 23:00:00 GMT' })
 */
export function freshenedResponse(record: PageRecord, notModified: RawHeaders): PageResponse {
  const headers: Record<string, string | string[]> = { ...record.headers };
  const update = stripHopByHop(notModified, NOT_UPDATED);
  Object.assign(headers, update);
  if (update.date === undefined) delete headers.date;
  // An ETag the cache made is made again from the same body, and stays the cache's own.
  if (record.generatedEtag === true && update.etag === undefined) delete headers.etag;
  return { status: record.status, headers, body: record.body, streamed: record.generatedEtag !== true };
}
