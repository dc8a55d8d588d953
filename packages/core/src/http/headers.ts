import { splitList } from './tokenizer.js';

/** One header value as Node gives it (`IncomingHttpHeaders`) or as a user builds it. */
export type HeaderValue = string | string[] | number | undefined;

/** Header fields keyed by name in any case, e.g. `{ 'Cache-Control': 'no-store' }`. */
export type RawHeaders = Record<string, HeaderValue>;

/**
 * Hop-by-hop fields a cache never stores nor forwards (RFC 9110 §7.6.1, plus the
 * non-standard `keep-alive` and `proxy-connection` still seen in the wild).
 *
 * @example
 * HOP_BY_HOP.includes('transfer-encoding') // true
 */
export const HOP_BY_HOP: readonly string[] = Object.freeze([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Reads a header case-insensitively; arrays are joined with `", "`, numbers stringified.
 *
 * Several keys that differ only in case are combined in insertion order, as repeated
 * field lines are (RFC 9110 §5.3). Not for `Set-Cookie` or `Cookie`, whose lines are not
 * comma lists. Returns `undefined` when the field is absent (an empty string is present).
 *
 * @example
 * headerValue({ Vary: ['Accept', 'Cookie'] }, 'vary') // 'Accept, Cookie'
 */
export function headerValue(headers: RawHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  // A request read once (requestHeaders): one property read, no scan.
  if (VIEWS.has(headers)) {
    const value = headers[wanted];
    if (!Array.isArray(value)) return value as string | undefined;
    return value.length === 0 ? undefined : value.join(', ');
  }
  let parts: string[] | undefined;
  for (const key of Object.keys(headers)) {
    if (key.length !== wanted.length || key.toLowerCase() !== wanted) continue;
    const value = headers[key];
    if (value === undefined) continue;
    parts ??= [];
    if (Array.isArray(value)) for (const item of value) parts.push(item);
    else parts.push(String(value));
  }
  return parts === undefined || parts.length === 0 ? undefined : parts.join(', ');
}

const VIEWS = new WeakSet<object>();

/**
 * The request's headers read once, in one pass, into a view keyed by lower-cased name (values
 * as strings; field lines of names that differ only in case kept together, in order), which
 * {@link headerValue} then reads with one property access. For request headers, which do not
 * change while the cache decides; a view is returned as it is.
 *
 * @example
 * const view = requestHeaders({ Host: 'a.test', 'X-N': 7 }) // { host: 'a.test', 'x-n': '7' }
 * headerValue(view, 'host') // 'a.test'
 */
export function requestHeaders(headers: RawHeaders): RawHeaders {
  if (VIEWS.has(headers)) return headers;
  const view: Record<string, string | string[]> = Object.create(null);
  for (const key in headers) {
    if (!Object.hasOwn(headers, key)) continue;
    const value = headers[key];
    if (value === undefined) continue;
    const name = key.toLowerCase();
    const copy = Array.isArray(value) ? value.map(String) : String(value);
    const previous = view[name];
    view[name] = previous === undefined ? copy : [previous, copy].flat();
  }
  VIEWS.add(view);
  return view;
}

/**
 * Copies headers without hop-by-hop fields, the fields that `Connection` nominates
 * (RFC 9110 §7.6.1) and the `extra` names; names come out lower-cased.
 *
 * Numbers become strings, arrays are copied, `undefined` values are dropped, and keys
 * that differ only in case are merged into one array.
 *
 * @example
 * stripHopByHop({ Connection: 'x-trace', 'X-Trace': '1', ETag: '"a"' }) // { etag: '"a"' }
 */
export function stripHopByHop(headers: RawHeaders, extra: readonly string[] = []): Record<string, string | string[]> {
  const drop = new Set<string>(HOP_BY_HOP);
  for (const name of extra) drop.add(name.toLowerCase());
  const connection = headerValue(headers, 'connection');
  if (connection !== undefined) {
    for (const name of splitList(connection)) drop.add(name.toLowerCase());
  }
  const out: Record<string, string | string[]> = Object.create(null);
  for (const key of Object.keys(headers)) {
    const name = key.toLowerCase();
    const value = headers[key];
    if (drop.has(name) || value === undefined) continue;
    const copy = Array.isArray(value) ? [...value] : String(value);
    const previous = out[name];
    out[name] = previous === undefined ? copy : [previous, copy].flat();
  }
  return out;
}
