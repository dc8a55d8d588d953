import { parseCacheControl, patchCacheControl } from '../http/cache-control.js';
import { formatHttpDate, parseHttpDate } from '../http/date.js';
import { strongETag } from '../http/etag.js';
import { headerValue, type RawHeaders, stripHopByHop } from '../http/headers.js';
import { mergeVary } from '../http/vary.js';
import type { PageRecord } from './record.js';
import type { Storable } from './response-policy.js';
import type { PageResponse } from './types.js';

/** Never stored, never replayed: they belong to one response, or say things only the cache may say. */
const NOT_STORED: readonly string[] = ['set-cookie', 'age', 'date', 'cache-status'];

/** What a route adds to the `Vary` of what it stores. */
export interface VaryDeclared {
  varyHeaders: readonly string[];
  varyCookies: readonly string[];
}

/**
 * The record to store for a storable response, its headers patched as Django's
 * `patch_response_headers` and `patch_vary_headers` do: `max-age` (when the response has
 * none) and `Expires` (when absent) from the TTL, a strong `ETag` from the body for a 200
 * without one, the route's Vary names, and the body's `Content-Length`. The body is copied:
 * the record never shares memory with the adapter's buffers.
 */
export function recordFor(
  response: PageResponse,
  storable: Storable,
  declared: VaryDeclared,
  now: number,
  windows: { swr: number; sie: number },
): PageRecord {
  const body = new Uint8Array(response.body);
  const headers = stripHopByHop(response.headers as RawHeaders, NOT_STORED);
  const cacheControl = headerValue(headers, 'cache-control');
  if (parseCacheControl(cacheControl).maxAge === undefined) {
    headers['cache-control'] = patchCacheControl(cacheControl, { maxAge: Math.floor(storable.ttl / 1000) });
  }
  if (headerValue(headers, 'expires') === undefined) headers.expires = formatHttpDate(now + storable.ttl);
  if (response.status === 200 && headerValue(headers, 'etag') === undefined) headers.etag = strongETag(body);
  const vary = [...declared.varyHeaders, ...(declared.varyCookies.length > 0 ? ['Cookie'] : [])];
  if (vary.length > 0) headers.vary = mergeVary(headerValue(headers, 'vary'), vary);
  // RFC 9110 §8.6: never a Content-Length on a 204.
  if (response.status === 204) delete headers['content-length'];
  else headers['content-length'] = String(body.byteLength);
  const freshUntil = now + storable.ttl;
  const record: PageRecord = {
    status: response.status,
    headers,
    body,
    storedAt: now,
    initialAge: storable.initialAge,
    freshUntil,
    // RFC 9111 §4.2.4: must-revalidate / proxy-revalidate forbid serving it stale, at all.
    staleUntil: storable.noStale ? freshUntil : freshUntil + windows.swr,
    staleIfErrorUntil: storable.noStale ? freshUntil : freshUntil + windows.sie,
    shared: storable.shared,
  };
  const etag = headerValue(headers, 'etag');
  const lastModified = parseHttpDate(headerValue(headers, 'last-modified'), now);
  if (etag !== undefined) record.etag = etag;
  if (lastModified !== undefined) record.lastModified = lastModified;
  return record;
}

/**
 * The headers of a replayed page: the stored ones (hop-by-hop and `Set-Cookie` stripped once
 * more, should a shared store hand back something it was not given), `Age` (RFC 9111 §5.1)
 * and `Date` now.
 */
export function replayHeaders(stored: Record<string, string | string[]>, age: number, now: number): Record<string, string | string[]> {
  const headers = stripHopByHop(stored, NOT_STORED);
  headers.age = String(age);
  headers.date = formatHttpDate(now);
  return headers;
}
