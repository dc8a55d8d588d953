import { headerValue, type RawHeaders } from '../http/headers.js';
import type { ResolvedPageOptions } from './options.js';
import type { PageRecord } from './record.js';

/** The validator fields of the cache's own conditional request (RFC 9111 §4.3.1). */
export type Conditionals = Readonly<Partial<Record<'if-none-match' | 'if-modified-since', string>>>;

// The client's preconditions never reach a revalidation: the handler's 304 must answer the stored validators, not the client's.
const CLIENT_CONDITIONALS: ReadonlySet<string> = new Set([
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
]);

/**
 * The validators to revalidate a stored page with (RFC 9111 §4.3.1): its `ETag` in
 * `If-None-Match` and its `Last-Modified` in `If-Modified-Since`, each as the handler sent it.
 * Never an `ETag` the cache made itself (the handler never issued it). `undefined`: none, the
 * page can only be rendered again.
 *
 * @example
 * conditionalsFor(record) // { 'if-none-match': '"v1"', 'if-modified-since': 'Wed, 01 Jan 2020 00:00:00 GMT' }
 */
export function conditionalsFor(record: PageRecord): Conditionals | undefined {
  const out: Partial<Record<'if-none-match' | 'if-modified-since', string>> = {};
  if (record.etag !== undefined && record.generatedEtag !== true) out['if-none-match'] = record.etag;
  const lastModified = headerValue(record.headers, 'last-modified');
  if (lastModified !== undefined && record.lastModified !== undefined) out['if-modified-since'] = lastModified;
  return out['if-none-match'] === undefined && out['if-modified-since'] === undefined ? undefined : out;
}

/**
 * The request headers the handler sees on a revalidation: the request's own, less its
 * preconditions, plus the cache's validators. A new plain object, as Node's `req.headers` is:
 * the adapter puts it in place of the request's headers while the handler runs, then puts
 * the originals back.
 *
 * @example
 * revalidationHeaders({ host: 'a.test', 'if-none-match': '"x"' }, { 'if-none-match': '"v1"' })
 * // { host: 'a.test', 'if-none-match': '"v1"' }
 */
export function revalidationHeaders(headers: RawHeaders, conditionals: Conditionals): RawHeaders {
  const out: RawHeaders = {};
  for (const name of Object.keys(headers)) {
    if (!CLIENT_CONDITIONALS.has(name.toLowerCase())) out[name] = headers[name];
  }
  return Object.assign(out, conditionals);
}

/**
 * How long the engine keeps a page, in ms from when it was stored: as long as it may be served
 * (fresh, stale-while-revalidate, stale-if-error) and, when it has validators, one more TTL of
 * its status after it went stale, so that a stale page is revalidated instead of rendered again.
 */
export function keptFor(record: PageRecord, options: Pick<ResolvedPageOptions, 'statuses'>): number {
  const served = Math.max(record.staleUntil, record.staleIfErrorUntil) - record.storedAt;
  if (conditionalsFor(record) === undefined) return served;
  const revalidatable = record.freshUntil - record.storedAt + (options.statuses.get(record.status) ?? 0);
  return Math.max(served, revalidatable);
}
