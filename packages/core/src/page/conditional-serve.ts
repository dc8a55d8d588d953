import { isNotModified, notModifiedHeaders } from '../http/conditional.js';
import type { RawHeaders } from '../http/headers.js';
import { type CacheStatusInfo, withCacheStatus } from './cache-status.js';
import { ageSeconds, type PageRecord } from './record.js';
import { replayHeaders } from './stored-headers.js';
import type { PageResponse } from './types.js';

const EMPTY = new Uint8Array(0);

/** How a record is being replayed. */
export interface ReplayOptions {
  now: number;
  /** The `Cache-Status` cache name, if any. */
  cacheStatus: string | undefined;
  status: CacheStatusInfo;
  /** Just rendered for this very request: no `Age` unless the origin's response had one (RFC 9111 §5.1). */
  rendered?: boolean;
}

/**
 * A stored page as the adapter writes it: `304 Not Modified` when the request's
 * `If-None-Match` (weak comparison) or `If-Modified-Since` matches a stored 200 (RFC 9110
 * §13.2.2, §15.4.5), headers only for HEAD (Content-Length kept), else the whole page.
 *
 * @example
 * replay(record, { method: 'HEAD', headers: {} }, { now, cacheStatus: 'cachette', status: { hit: true } }).body.byteLength // 0
 */
export function replay(record: PageRecord, request: { method: string; headers: RawHeaders }, options: ReplayOptions): PageResponse {
  const { now } = options;
  const status: CacheStatusInfo = options.rendered ? options.status : { ...options.status, ttl: (record.freshUntil - now) / 1000 };
  const headers = replayHeaders(record.headers, ageSeconds(record, now), record.storedAt);
  // RFC 9111 §5.1: the age the origin's response already had is kept.
  if (options.rendered && record.initialAge === 0) delete headers.age;
  // RFC 9111 §4.3.2: without Last-Modified, If-Modified-Since is evaluated against the stored Date.
  const lastModified = record.lastModified ?? record.storedAt - record.initialAge * 1000;
  if (record.status === 200 && isNotModified(request, { etag: record.etag, lastModified })) {
    const kept = notModifiedHeaders(headers);
    if (headers.age !== undefined) kept.age = headers.age;
    return { status: 304, headers: withCacheStatus(kept, options.cacheStatus, status), body: EMPTY };
  }
  return {
    status: record.status,
    headers: withCacheStatus(headers, options.cacheStatus, status),
    body: request.method === 'HEAD' ? EMPTY : record.body,
  };
}
