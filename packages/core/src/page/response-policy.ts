import { parseAge } from '../http/age.js';
import { parseCacheControl } from '../http/cache-control.js';
import { parseHttpDate } from '../http/date.js';
import { headerValue, type RawHeaders } from '../http/headers.js';
import { pragmaNoCache } from '../http/pragma.js';
import { parseVary } from '../http/vary.js';
import { MAX_VARY_NAMES } from './learn-vary.js';
import { responseDirectives } from './targeted-directives.js';
import type { PageResponse } from './types.js';

/** Why a response was not stored. */
export type ResponseVeto =
  | 'set-cookie'
  | 'cache-control'
  | 'vary'
  | 'status'
  | 'authorization'
  | 'too-large'
  | 'expired'
  | 'malformed'
  /** `strict`: the handler read a request header outside the page's key. */
  | 'strict';

/** A response that may be stored, and how. */
export interface Storable {
  store: true;
  /** How long it is fresh, in ms: the route's TTL, capped by the origin's (RFC 9111 §4.2.1). */
  ttl: number;
  /** `public`, `s-maxage` or `must-revalidate`: it may answer requests with Authorization (RFC 9111 §3.5). */
  shared: boolean;
  /** `must-revalidate` / `proxy-revalidate` / `s-maxage`: never served stale (RFC 9111 §4.2.4, §5.2.2.10). */
  noStale: boolean;
  /** The `Vary` names, lower-cased and sorted. */
  vary: string[];
  /** The response states its own freshness (`max-age`, `s-maxage` or `Expires`). */
  statesFreshness: boolean;
  /** The origin's `Age`, seconds. */
  initialAge: number;
  /** `no-cache` with a validator: stored, never fresh, revalidated before every use (RFC 9111 §5.2.2.4). */
  noCache?: boolean;
  /** The response's own `stale-while-revalidate`, seconds (RFC 5861 §3). */
  staleWhileRevalidate?: number | undefined;
  /** The response's own `stale-if-error`, seconds (RFC 5861 §4). */
  staleIfError?: number | undefined;
}

export type ResponseVerdict = Storable | { store: false; veto: ResponseVeto };

/** What besides the response decides whether it is stored. */
export interface ResponseContext {
  /** The request carried Authorization. */
  authorization: boolean;
  statuses: ReadonlyMap<number, number>;
  maxBodyBytes: number;
  now: number;
  /** When the render began (the request time, RFC 9111 §4.2.3); `now` when unknown. */
  requestedAt?: number;
  /** `route`: the configured TTL capped by the response's; `response`: the response's own, the configured one without. Default `route`. */
  ttlFrom?: 'route' | 'response';
}

/**
 * Whether a rendered response may be stored (Django's `patch_response_headers` preconditions,
 * RFC 9111 §3). Reads the raw headers, before any hop-by-hop stripping, so that a
 * `Connection: set-cookie` cannot hide a `Set-Cookie`. Anything malformed: not stored.
 *
 * @example
 * judgeResponse({ status: 200, headers: { 'cache-control': 'Private' }, body }, ctx) // { store: false, veto: 'cache-control' }
 */
export function judgeResponse(response: PageResponse, context: ResponseContext): ResponseVerdict {
  const headers = response.headers as RawHeaders;
  const routeTtl = context.statuses.get(response.status);
  if (routeTtl === undefined) return { store: false, veto: 'status' };
  if (has(headers, 'set-cookie')) return { store: false, veto: 'set-cookie' };
  const { cc, targeted } = responseDirectives(headers);
  if (cc.private || cc.noStore || cc.invalid) return { store: false, veto: 'cache-control' };
  // RFC 9111 §5.2.2.4: no-cache may be stored if it is revalidated before every use, which needs a validator.
  if (cc.noCache && !hasValidator(headers, context.now)) return { store: false, veto: 'cache-control' };
  // Varnish's builtin.vcl: `Surrogate-Control: no-store` is addressed to this kind of cache.
  if (parseCacheControl(headerValue(headers, 'surrogate-control')).noStore) return { store: false, veto: 'cache-control' };
  // HTTP/1.0 caches read Pragma; an origin that sends it means "do not cache" (RFC 9111 §5.4).
  if (pragmaNoCache(headers)) return { store: false, veto: 'cache-control' };
  const vary = parseVary(headerValue(headers, 'vary'));
  if (vary.any || vary.names.length > MAX_VARY_NAMES) return { store: false, veto: 'vary' };
  // RFC 9111 §3.5: public, s-maxage and must-revalidate allow a shared cache to answer requests with Authorization.
  const shared = cc.public || cc.sMaxAge !== undefined || cc.mustRevalidate;
  if (context.authorization && !shared) return { store: false, veto: 'authorization' };
  const size = response.body?.byteLength;
  if (size === undefined || size > context.maxBodyBytes) return { store: false, veto: 'too-large' };
  if (!bodyIsWhole(headers, size)) return { store: false, veto: 'malformed' };
  const date = parseHttpDate(headerValue(headers, 'date'), context.now);
  const initialAge = originAge(headers, date, context);
  // RFC 9213 §2.2: a targeted field replaces Expires as well as Cache-Control.
  const limit = originLimit(targeted ? {} : headers, cc.sMaxAge ?? cc.maxAge, initialAge, date ?? context.now);
  const statesFreshness = Number.isFinite(limit);
  // Django's cache middleware takes the response's max-age as the timeout; cache_page's own timeout caps it.
  const ttl = cc.noCache ? 0 : context.ttlFrom === 'response' && statesFreshness ? limit : Math.min(routeTtl, limit);
  if (!(ttl > 0) && !cc.noCache) return { store: false, veto: 'expired' };
  // RFC 9111 §5.2.2.10: s-maxage carries proxy-revalidate's semantics for a shared cache, which this is.
  const noStale = cc.mustRevalidate || cc.proxyRevalidate || cc.sMaxAge !== undefined || cc.noCache;
  const { staleWhileRevalidate, staleIfError } = cc;
  const storable: Storable = { store: true, ttl, shared, noStale, vary: vary.names, initialAge, statesFreshness };
  if (cc.noCache) storable.noCache = true;
  if (staleWhileRevalidate !== undefined) storable.staleWhileRevalidate = staleWhileRevalidate;
  if (staleIfError !== undefined) storable.staleIfError = staleIfError;
  return storable;
}

/** An `ETag` or a valid `Last-Modified`: something a conditional request can be made from (RFC 9110 §8.8). */
function hasValidator(headers: RawHeaders, now: number): boolean {
  return headerValue(headers, 'etag') !== undefined || parseHttpDate(headerValue(headers, 'last-modified'), now) !== undefined;
}

/**
 * The origin's freshness left in ms (RFC 9111 §4.2.1): its lifetime — `s-maxage`, else
 * `max-age`, else `Expires` − `Date` (`date`: the response's, or the time it was received) —
 * less the age it already has. An `Expires` that does not parse means already expired (§5.3).
 * No limit: Infinity.
 */
function originLimit(headers: RawHeaders, maxAge: number | undefined, age: number, date: number): number {
  if (maxAge !== undefined) return (maxAge - age) * 1000;
  const expires = headerValue(headers, 'expires');
  if (expires === undefined) return Number.POSITIVE_INFINITY;
  const at = parseHttpDate(expires, date);
  return at === undefined ? 0 : at - date - age * 1000;
}

/**
 * The age in seconds the response has on arrival (RFC 9111 §4.2.3 corrected_initial_age): its
 * `Age` (the first valid value, see `parseAge`) plus the time the render took, or the time since
 * its `Date` when that is more.
 */
function originAge(headers: RawHeaders, date: number | undefined, context: ResponseContext): number {
  const { now } = context;
  const apparent = date === undefined ? 0 : Math.max(0, Math.floor((now - date) / 1000));
  const delay = Math.max(0, Math.floor((now - (context.requestedAt ?? now)) / 1000));
  return Math.max(apparent, (parseAge(headerValue(headers, 'age')) ?? 0) + delay);
}

/** A `Content-Length` that disagrees with the body, or a `Content-Range`, means a partial body. */
function bodyIsWhole(headers: RawHeaders, size: number): boolean {
  if (has(headers, 'content-range')) return false;
  const length = headerValue(headers, 'content-length');
  return length === undefined || length.trim() === String(size);
}

/** True when the field is present under any casing, even empty. */
function has(headers: RawHeaders, name: string): boolean {
  return Object.keys(headers).some((key) => key.length === name.length && key.toLowerCase() === name && headers[key] !== undefined);
}
