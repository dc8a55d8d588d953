import { unquoteCookieValue } from '../http/cookies.js';
import { headerValue, type RawHeaders } from '../http/headers.js';
import { isToken } from '../http/tokenizer.js';
import type { KeyPair } from './key.js';
import { ROUTING_HEADERS } from './target.js';

/** More Vary'd headers than this and the response is not stored (each one splits the cache). */
export const MAX_VARY_NAMES = 32;

/** The route's cookies as a request carries them. */
export interface RequestCookies {
  /** Every declared cookie, sorted by name, with its value or `null`. */
  pairs: readonly KeyPair[];
  /** The `Cookie` field to send on a background revalidation: the request's pairs, as written. */
  header: string | undefined;
}

/**
 * The route's cookies in a request, or `undefined` when the request carries any cookie the
 * route did not declare, a pair that is not `name=value`, or one name twice (frameworks
 * differ on which wins): such a request is neither served from nor stored in the cache.
 *
 * @example
 * declaredCookies({ cookie: 'lang=fr' }, ['lang']) // { pairs: [['lang', 'fr']], header: 'lang=fr' }
 * declaredCookies({ cookie: 'sid=1' }, ['lang'])   // undefined
 */
export function declaredCookies(headers: RawHeaders, declared: readonly string[]): RequestCookies | undefined {
  const values = new Map<string, string>();
  const raw: string[] = [];
  for (const line of cookieLines(headers)) {
    for (const part of line.split(';')) {
      const pair = part.trim();
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = eq === -1 ? '' : pair.slice(0, eq).trim();
      if (eq === -1 || !declared.includes(name) || values.has(name)) return undefined;
      values.set(name, unquoteCookieValue(pair.slice(eq + 1).trim()));
      raw.push(pair);
    }
  }
  return {
    pairs: declared.map((name) => [name, values.get(name) ?? null] as const),
    header: raw.length === 0 ? undefined : raw.join('; '),
  };
}

/** Every `Cookie` field line, whatever the casing of its name (never comma-joined). */
function cookieLines(headers: RawHeaders): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(headers)) {
    if (key.length !== 6 || key.toLowerCase() !== 'cookie') continue;
    const value = headers[key];
    if (Array.isArray(value)) lines.push(...value);
    else if (value !== undefined) lines.push(String(value));
  }
  return lines;
}

// The names a list keys on, by list: a list read from memory is the same array hit after hit.
const KEYED_NAMES = new WeakMap<readonly string[], string[]>();

/**
 * The request's values of the Vary'd headers and of the routing headers, sorted by name, as
 * they enter the key. `Cookie` enters as the declared cookies (the only ones a cached request
 * can carry), so a background revalidation keys the same as the request it refreshes.
 */
export function variantHeaders(headers: RawHeaders, varyNames: readonly string[], cookies: RequestCookies): KeyPair[] {
  let names = KEYED_NAMES.get(varyNames);
  if (names === undefined) {
    names = [...new Set([...varyNames, ...ROUTING_HEADERS])].sort();
    KEYED_NAMES.set(varyNames, names);
  }
  return names.map((name) => [name, name === 'cookie' ? JSON.stringify(cookies.pairs) : (headerValue(headers, name) ?? null)] as const);
}

/**
 * The header names a stored page varies on: those of its `Vary` and those the route
 * declares, lower-cased, sorted (Django's `learn_cache_key`).
 */
export function learnVaryNames(responseVary: readonly string[], declared: readonly string[]): string[] {
  return [...new Set([...responseVary, ...declared])].sort();
}

/** True for a Vary list as stored: sorted, lower-case field names, not too many. */
export function isVaryList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_VARY_NAMES &&
    value.every((name, i) => typeof name === 'string' && isToken(name) && name === name.toLowerCase() && (i === 0 || value[i - 1] < name))
  );
}
