import { createHash } from 'node:crypto';
import { purgePath } from './target.js';

/** A request header or cookie as it enters a key: its name and value, `null` when absent. */
export type KeyPair = readonly [name: string, value: string | null];

/** Everything that tells one stored page from another. */
export interface PageKeyParts {
  keyPrefix: string;
  scheme: string;
  /** Normalised host (see `resolveTarget`). */
  host: string;
  path: string;
  /** Values of the Vary'd and routing request headers, by lower-cased name. */
  headers: readonly KeyPair[];
  /** Values of the route's `varyCookies`. */
  cookies: readonly KeyPair[];
  /** The route's `variants` as resolved for the request; none: the key is as before variants existed. */
  variants?: readonly KeyPair[] | undefined;
}

// Bump when the layout of what is hashed changes, so old keys are never misread.
const LAYOUT = 'cachette:page:1';

/**
 * The one text every page key is hashed from: JSON of the parts, so no two different parts
 * meet (`null` is not `""`; `["ab",""]` is not `["a","b"]`) — unlike Django's
 * `_generate_cache_key`, which joins values. GET and HEAD share the method class `GET`.
 *
 * @example
 * encodeKeyParts('p', ['', 'https', 'example.com', '/']) // '["cachette:page:1","p","","https","example.com","/"]'
 */
export function encodeKeyParts(kind: 'p' | 'v' | 'u', parts: readonly unknown[]): string {
  return JSON.stringify([LAYOUT, kind, ...parts]);
}

// Keys already hashed, by their text: requests of one shape hash once (bounded; starts over when full).
const HASHED = new Map<string, string>();
const MAX_HASHED = 10_000;

/** `page:<kind>:<sha256 base64url>`: 50 printable characters, safe for memcached. */
function hashed(kind: 'p' | 'v' | 'u', encoded: string): string {
  let key = HASHED.get(encoded);
  if (key !== undefined) return key;
  key = `page:${kind}:${createHash('sha256').update(encoded).digest('base64url')}`;
  if (HASHED.size >= MAX_HASHED) HASHED.clear();
  HASHED.set(encoded, key);
  return key;
}

/**
 * The cache key of one variant of a page.
 *
 * @example
 * pageKey({ keyPrefix: '', scheme: 'https', host: 'example.com', path: '/', headers: [['accept-language', 'fr']], cookies: [] })
 * // 'page:p:…43 characters…'
 */
export function pageKey(parts: PageKeyParts): string {
  const { keyPrefix, scheme, host, path, headers, cookies, variants } = parts;
  const base = [keyPrefix, 'GET', scheme, host, path, headers, cookies];
  return hashed('p', encodeKeyParts('p', variants === undefined || variants.length === 0 ? base : [...base, variants]));
}

/** The key of the Vary list learned for a URL (Django's `_generate_cache_header_key`). */
export function varyListKey(keyPrefix: string, scheme: string, host: string, path: string): string {
  // None of the four can hold a line feed (printable prefix, validated host, origin-form path): an unambiguous memo key.
  const memo = `v\n${keyPrefix}\n${scheme}\n${host}\n${path}`;
  let key = HASHED.get(memo);
  if (key === undefined) {
    key = hashed('v', encodeKeyParts('v', [keyPrefix, 'GET', scheme, host, path]));
    HASHED.set(memo, key);
  }
  return key;
}

/**
 * The tag every stored variant of a URL carries, so that one `deleteByTag` drops them all.
 * Scheme-blind and normalised (see `purgePath`): purging too much is safe, too little is not.
 */
export function urlTag(keyPrefix: string, host: string, path: string): string {
  return hashed('u', encodeKeyParts('u', [keyPrefix, host, purgePath(path)]));
}
