import { parseHttpDate } from './date.js';
import { parseIfNoneMatch, weakMatch } from './etag.js';
import { headerValue, type RawHeaders } from './headers.js';

/** What a request needs for a conditional GET: its method and headers. */
export interface ConditionalRequest {
  method: string;
  headers: RawHeaders;
}

/** The validators of the selected (stored) response. */
export interface Validators {
  /** The `ETag` field value, quotes included: `"abc"` or `W/"abc"`. */
  etag?: string | undefined;
  /** `Last-Modified`, ms since the epoch. */
  lastModified?: number | undefined;
}

/**
 * Whether a GET/HEAD request may be answered `304 Not Modified` (RFC 9110 §13.2.2).
 *
 * `If-None-Match` (weak comparison; `*` matches when there is an ETag) takes precedence:
 * when present, even malformed, `If-Modified-Since` is ignored (§13.1.3). Otherwise
 * `If-Modified-Since` matches when it is one valid HTTP-date and `lastModified`, to the
 * second, is not after it. Methods are case-sensitive (§9.1): `get` is not GET.
 * `If-Match` / `If-Unmodified-Since` (412) are not evaluated here.
 *
 * @example
 * isNotModified({ method: 'GET', headers: { 'if-none-match': 'W/"1"' } }, { etag: '"1"' }) // true
 */
export function isNotModified(request: ConditionalRequest, validators: Validators): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const ifNoneMatch = headerValue(request.headers, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    const { etag } = validators;
    if (etag === undefined) return false;
    const wanted = parseIfNoneMatch(ifNoneMatch);
    // `*` matches a current representation; a malformed stored ETag is not one we can vouch for.
    if (wanted === '*') return weakMatch(etag, etag);
    return wanted.some((tag) => weakMatch(tag, etag));
  }
  const { lastModified } = validators;
  if (lastModified === undefined || !Number.isFinite(lastModified)) return false;
  // An invalid date, or more than one (joined with ", "), does not parse: ignored (§13.1.3).
  const since = parseHttpDate(headerValue(request.headers, 'if-modified-since'));
  return since !== undefined && Math.floor(lastModified / 1000) * 1000 <= since;
}

// RFC 9110 §15.4.5: what a 304 carries; Last-Modified helps caches without an ETag.
const NOT_MODIFIED_FIELDS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'last-modified',
  'vary',
]);

/**
 * Keeps the stored headers a 304 response carries (RFC 9110 §15.4.5), lower-cased.
 *
 * @example
 * notModifiedHeaders({ ETag: '"1"', 'Content-Type': 'text/html' }) // { etag: '"1"' }
 */
export function notModifiedHeaders(stored: Readonly<Record<string, string | string[]>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const key of Object.keys(stored)) {
    const name = key.toLowerCase();
    const value = stored[key];
    if (value === undefined || !NOT_MODIFIED_FIELDS.has(name)) continue;
    const copy = Array.isArray(value) ? [...value] : value;
    const previous = out[name];
    out[name] = previous === undefined ? copy : [previous, copy].flat();
  }
  return out;
}
