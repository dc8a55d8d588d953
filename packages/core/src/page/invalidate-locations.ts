import type { RawHeaders } from '../http/headers.js';
import type { PageTarget } from './target.js';

const FIELDS = ['location', 'content-location'];

/**
 * The paths (with query) of a response's `Location` and `Content-Location` URLs that a
 * successful unsafe request invalidates besides its own (RFC 9111 §4.4): resolved against the
 * request's URL, and only on the same host and port — a response never drops another origin's
 * pages. URLs that do not parse, or are not http(s), are skipped.
 *
 * @example
 * locationPaths({ scheme: 'https', host: 'shop.example', path: '/cart/add' }, { location: 'view?id=1' }) // ['/cart/view?id=1']
 */
export function locationPaths(target: PageTarget, headers: RawHeaders | undefined): string[] {
  if (headers === undefined || headers === null || typeof headers !== 'object') return [];
  let base: URL;
  try {
    base = new URL(`${target.scheme}://${target.host}${target.path}`);
  } catch {
    return [];
  }
  const paths: string[] = [];
  for (const value of fieldValues(headers)) {
    const url = URL.canParse(value, base.href) ? new URL(value, base) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
    // Compared as the request's scheme would write them: an explicit default port is no other origin.
    const port = url.port === '' ? '' : `:${url.port}`;
    if (`${url.hostname}${port}` !== base.host) continue;
    paths.push(`${url.pathname}${url.search}`);
  }
  return paths;
}

/** Each line of `Location` and `Content-Location`, whatever the casing; a URL is never split on commas. */
function fieldValues(headers: RawHeaders): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!FIELDS.includes(name.toLowerCase()) || value === undefined) continue;
    for (const line of Array.isArray(value) ? value : [value]) out.push(String(line).trim());
  }
  return out;
}
