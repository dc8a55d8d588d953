import { headerValue, type RawHeaders } from './headers.js';

/**
 * HTTP/1.0's `Pragma: no-cache`, read only when the message has no `Cache-Control` (RFC 9111 §5.4):
 * from a request, "do not answer from the cache"; from a response, "do not store".
 *
 * @example
 * pragmaNoCache({ pragma: 'no-cache' }) // true
 * pragmaNoCache({ pragma: 'no-cache', 'cache-control': 'max-age=60' }) // false
 */
export function pragmaNoCache(headers: RawHeaders): boolean {
  if (headerValue(headers, 'cache-control') !== undefined) return false;
  return /(^|,)\s*no-cache\s*(,|$)/i.test(headerValue(headers, 'pragma') ?? '');
}
