import { parseCacheControl, patchCacheControl } from '../http/cache-control.js';
import { formatHttpDate, parseHttpDate } from '../http/date.js';
import { strongETag } from '../http/etag.js';
import { headerValue, type RawHeaders, stripHopByHop } from '../http/headers.js';
import { mergeVary } from '../http/vary.js';
import type { PageRecord } from './record.js';
import type { Storable } from './response-policy.js';
import type { PageResponse } from './types.js';

/** Never stored, never replayed: they belong to one response, or say things only the cache may say. */
const NOT_STORED: readonly string[] = ['set-cookie', 'age', 'cache-status'];

/** What a route adds to the `Vary` of what it stores. */
export interface VaryDeclared {
  varyHeaders: readonly string[];
  varyCookies: readonly string[];
}

/** How a record is made: the stale windows, and the route's TTL when it caps what is advertised. */
export interface RecordWindows {
  swr: number;
  sie: number;
  /** `cachePage(ttl)`'s TTL for this status, in ms; `undefined` site-wide (the response's own freshness stands). */
  routeTtl?: number | undefined;
}

/**
 * The record to store for a storable response, its headers patched as Django's
 * `patch_response_headers` and `patch_vary_headers` do (see {@link patchFreshness}), a strong
 * `ETag` from the body for a 200 without one (not for an empty or streamed body), the route's Vary names, and the body's
 * `Content-Length`. The body is copied: the record never shares memory with the adapter's buffers.
 */
export function recordFor(
  response: PageResponse,
  storable: Storable,
  declared: VaryDeclared,
  now: number,
  windows: RecordWindows,
): PageRecord {
  const body = new Uint8Array(response.body);
  const headers = stripHopByHop(response.headers as RawHeaders, NOT_STORED);
  // RFC 9110 §6.6.1: a response without a (valid) Date gets the time it was received; hits keep it, Age says how old.
  if (parseHttpDate(headerValue(headers, 'date'), now) === undefined) headers.date = httpDateOf(now);
  patchFreshness(headers, storable, windows.routeTtl, now);
  // Django's ConditionalGetMiddleware: an ETag only for a non-empty body the handler sent whole.
  const generatedEtag =
    response.status === 200 && body.byteLength > 0 && response.streamed !== true && headerValue(headers, 'etag') === undefined;
  if (generatedEtag) headers.etag = strongETag(body);
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
    noStale: storable.noStale,
  };
  const etag = headerValue(headers, 'etag');
  const lastModified = parseHttpDate(headerValue(headers, 'last-modified'), now);
  if (etag !== undefined) record.etag = etag;
  if (generatedEtag) record.generatedEtag = true;
  if (lastModified !== undefined) record.lastModified = lastModified;
  return record;
}

/**
 * Django's `patch_response_headers`, read with RFC 9111: a response that states no freshness
 * gets `max-age` and `Expires` from the TTL. One that states its own keeps it, only patched
 * down to a route's TTL (the smaller wins): `max-age` (and `Expires` added as Django does),
 * else `s-maxage` (no `max-age` added: that would let private caches keep what the origin
 * gave only to shared ones), else `Expires`.
 */
function patchFreshness(headers: Record<string, string | string[]>, storable: Storable, routeTtl: number | undefined, now: number): void {
  const cacheControl = headerValue(headers, 'cache-control');
  const expires = headerValue(headers, 'expires');
  // RFC 9111 §5.2.2.4: a no-cache page is revalidated before every use; its own freshness is left as it is.
  if (storable.noCache) return;
  if (!storable.statesFreshness) {
    headers['cache-control'] = patchCacheControl(cacheControl, { maxAge: Math.floor(storable.ttl / 1000) });
    if (expires === undefined) headers.expires = formatHttpDate(now + storable.ttl);
    return;
  }
  if (routeTtl === undefined) return;
  const limit = Math.floor(routeTtl / 1000);
  const cc = parseCacheControl(cacheControl);
  if (cc.maxAge !== undefined) {
    const maxAge = Math.min(cc.maxAge, limit);
    headers['cache-control'] = patchCacheControl(cacheControl, { maxAge });
    if (expires === undefined) headers.expires = formatHttpDate(now + maxAge * 1000);
  } else if (cc.sMaxAge !== undefined) {
    if (cc.sMaxAge > limit) headers['cache-control'] = patchCacheControl(cacheControl, { sMaxAge: limit });
  } else {
    const at = parseHttpDate(expires, now);
    if (at !== undefined && at > now + routeTtl) headers.expires = formatHttpDate(now + routeTtl);
  }
}

/**
 * The headers of a replayed page: the stored ones (hop-by-hop and `Set-Cookie` stripped once
 * more, should a shared store hand back something it was not given), the stored `Date`
 * (RFC 9110 §6.6.1; `storedAt` for a record stored without one) and `Age` (RFC 9111 §5.1).
 */
export function replayHeaders(stored: Record<string, string | string[]>, age: number, storedAt: number): Record<string, string | string[]> {
  let clean = STRIPPED.get(stored);
  if (clean === undefined) {
    clean = stripHopByHop(stored, NOT_STORED);
    if (clean.date === undefined) clean.date = formatHttpDate(storedAt);
    STRIPPED.set(stored, clean);
  }
  const headers: Record<string, string | string[]> = { ...clean };
  headers.age = String(age);
  return headers;
}

// The stored headers of a record, stripped once: a hit copies them and adds Age.
const STRIPPED = new WeakMap<object, Record<string, string | string[]>>();
let dateSecond = Number.NaN;
let dateText = '';

/** `Date` text, made once per second as Node's own Date header is. */
function httpDateOf(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = formatHttpDate(now);
  }
  return dateText;
}
