import { type CacheControl, parseCacheControl } from '../http/cache-control.js';
import { headerValue, type RawHeaders } from '../http/headers.js';
import { parseTargetedCacheControl } from '../http/targeted-cache-control.js';

/**
 * The targeted fields this cache obeys, in order (RFC 9213 §2.2): its own, so that an application
 * can tell the in-process cache one thing, CDNs another and browsers a third; then the CDN one,
 * since a page cache in front of an application is what a CDN is to it.
 */
export const TARGET_FIELDS: readonly string[] = Object.freeze(['cachette-cache-control', 'cdn-cache-control']);

/** The directives a response gives this cache, and whether they came from a targeted field. */
export interface ResponseDirectives {
  cc: CacheControl;
  /** True when a targeted field decided: `Cache-Control` and `Expires` are then ignored (RFC 9213 §2.2). */
  targeted: boolean;
}

/**
 * The first targeted field with a valid, non-empty value, else `Cache-Control` (RFC 9213 §2.2).
 *
 * @example
 * responseDirectives({ 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=60' }) // { cc: { maxAge: 60, … }, targeted: true }
 */
export function responseDirectives(headers: RawHeaders): ResponseDirectives {
  for (const name of TARGET_FIELDS) {
    const cc = parseTargetedCacheControl(headerValue(headers, name));
    if (cc !== undefined) return { cc, targeted: true };
  }
  return { cc: parseCacheControl(headerValue(headers, 'cache-control')), targeted: false };
}
