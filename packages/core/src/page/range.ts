import { headerValue, type RawHeaders } from '../http/headers.js';
import type { PageDecision, PageRequest, PageResponse } from './types.js';

/** One byte range as asked (RFC 9110 §14.1.2): `first-last`, `first-`, or the last `suffix` bytes. */
export type ByteRange = { first: number; last: number | undefined } | { suffix: number };

// One int-range or suffix-range; several ranges, other units and anything malformed are left to the handler.
const SINGLE = /^bytes=(?:([0-9]{1,15})-([0-9]{1,15})?|-([0-9]{1,15}))$/i;

/**
 * Splits off a `Range` the cache can answer from a stored full page: one byte range on a GET
 * without `If-Range`. Returns the request without `Range` and the range; a HEAD loses its `Range`
 * (it is defined for GET only, RFC 9110 §14.2). Anything else comes back as it was, and the
 * request policy passes it.
 *
 * @example
 * splitRange({ method: 'GET', headers: { range: 'bytes=0-1' }, … }) // { request: { …, headers: {} }, range: { first: 0, last: 1 } }
 */
export function splitRange(request: PageRequest): { request: PageRequest; range?: ByteRange } {
  const value = headerValue(request.headers, 'range');
  if (value === undefined || headerValue(request.headers, 'if-range') !== undefined) return { request };
  const stripped = { ...request, headers: withoutRange(request.headers) };
  if (request.method === 'HEAD') return { request: stripped };
  const m = request.method === 'GET' ? SINGLE.exec(value.trim()) : null;
  if (m === null) return { request };
  if (m[3] !== undefined) return { request: stripped, range: { suffix: Number(m[3]) } };
  const first = Number(m[1]);
  const last = m[2] === undefined ? undefined : Number(m[2]);
  if (last !== undefined && last < first) return { request };
  return { request: stripped, range: { first, last } };
}

function withoutRange(headers: RawHeaders): RawHeaders {
  const out: RawHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'range') out[name] = value;
  return out;
}

/**
 * A page the cache serves, cut to the range asked for: `206 Partial Content` with `Content-Range`
 * (RFC 9110 §15.3.7), or `416 Range Not Satisfiable` with the length (§15.5.17). Anything but a
 * whole 200 (a 304, another status) and any decision but `serve` are left as they are.
 *
 * @example
 * answerRange({ action: 'serve', response: page }, { suffix: 1 }) // 206, the last byte, `Content-Range: bytes 10-10/11`
 */
export function answerRange(decision: PageDecision, range: ByteRange | undefined): PageDecision {
  if (range === undefined || decision.action !== 'serve' || decision.response.status !== 200) return decision;
  return { action: 'serve', response: partial(decision.response, range) };
}

function partial(page: PageResponse, range: ByteRange): PageResponse {
  const length = page.body.byteLength;
  const first = 'suffix' in range ? Math.max(0, length - range.suffix) : range.first;
  const last = 'suffix' in range ? length - 1 : Math.min(range.last ?? length - 1, length - 1);
  const { 'content-length': _length, 'content-type': _type, ...rest } = page.headers;
  if (length === 0 || first >= length || ('suffix' in range && range.suffix === 0)) {
    return { status: 416, headers: { ...rest, 'content-range': `bytes */${length}`, 'content-length': '0' }, body: new Uint8Array(0) };
  }
  const headers = { ...page.headers, 'content-range': `bytes ${first}-${last}/${length}`, 'content-length': String(last - first + 1) };
  return { status: 206, headers, body: page.body.subarray(first, last + 1) };
}
