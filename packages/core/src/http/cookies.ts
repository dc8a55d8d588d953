import { trimOws } from './tokenizer.js';

/**
 * Parses a `Cookie` field into name → value, tolerantly (RFC 6265 §5.4 order, §4.2.1
 * syntax): pairs split on `;`, names and values trimmed, one pair of surrounding quotes
 * removed, no percent-decoding. Names are case-sensitive; the first occurrence wins
 * (user agents send the most specific cookie first). Pairs without `=` or a name are
 * skipped. Several field lines (an array) are joined with `; ` (RFC 9113 §8.2.3).
 *
 * @example
 * parseCookies('sid=abc; theme="dark"; sid=old') // Map { 'sid' => 'abc', 'theme' => 'dark' }
 */
export function parseCookies(header: string | readonly string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  const text = typeof header === 'string' ? header : header.join('; ');
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = trimOws(pair, 0, eq);
    if (name === '' || cookies.has(name)) continue;
    cookies.set(name, unquoteCookieValue(trimOws(pair, eq + 1)));
  }
  return cookies;
}

/** A cookie value without the double quotes it may be wrapped in (RFC 6265 §4.1.1: no escapes inside). */
export function unquoteCookieValue(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * The distinct cookie names of a `Cookie` field, in the order they first appear.
 *
 * @example
 * cookieNames('b=1; a=2; b=3') // ['b', 'a']
 */
export function cookieNames(header: string | readonly string[] | undefined): string[] {
  return [...parseCookies(header).keys()];
}
