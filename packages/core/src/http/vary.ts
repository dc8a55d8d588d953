import { isToken, splitList } from './tokenizer.js';

/** A parsed `Vary` field: `any` for `*`, else the request header names it lists. */
export interface VaryHeaders {
  /** The response varies on something outside the request headers: never reuse it. */
  any: boolean;
  /** Lower-cased, de-duplicated, sorted field names. */
  names: string[];
}

/**
 * Parses a `Vary` field (RFC 9110 §12.5.5).
 *
 * `any` is true for a `*` element, and also for an element that is not a field name
 * (a token): a cache cannot tell what a malformed Vary asks for, so it must not reuse
 * the response.
 *
 * @example
 * parseVary('Accept-Encoding, cookie, ACCEPT-encoding') // { any: false, names: ['accept-encoding', 'cookie'] }
 */
export function parseVary(value: string | undefined): VaryHeaders {
  const names = new Set<string>();
  let any = false;
  for (const element of splitList(value ?? '')) {
    if (element === '*' || !isToken(element)) any = true;
    else names.add(element.toLowerCase());
  }
  return { any, names: [...names].sort() };
}

/**
 * Adds field names to a `Vary` field, as Django's `patch_vary_headers`.
 *
 * Names are compared case-insensitively and keep the spelling of their first
 * occurrence; the field collapses to `*` when any element is `*`. Existing elements
 * are kept as written, malformed ones too (so the result stays uncacheable).
 *
 * @example
 * mergeVary('Accept-Encoding', ['accept-encoding', 'Cookie']) // 'Accept-Encoding, Cookie'
 */
export function mergeVary(existing: string | undefined, add: readonly string[]): string {
  const seen = new Map<string, string>();
  const elements = [...splitList(existing ?? ''), ...add.flatMap(splitList)];
  for (const element of elements) {
    const key = element.toLowerCase();
    if (key === '*') return '*';
    if (!seen.has(key)) seen.set(key, element);
  }
  return [...seen.values()].join(', ');
}
