import type { ServerResponse } from 'node:http';
import { type CacheControl, patchCacheControl } from '../http/cache-control.js';
import { formatHttpDate } from '../http/date.js';
import { mergeVary } from '../http/vary.js';
import { NEVER_CACHE } from '../page/directives.js';

/**
 * One response header as a string (Node keeps numbers and arrays), `undefined` when absent.
 *
 * @example
 * ```ts
 * headerText(res, 'vary') // 'Accept-Encoding, Cookie'
 * ```
 */
export function headerText(res: ServerResponse, name: string): string | undefined {
  const value = res.getHeader(name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * The response's headers as `res.getHeaders()` has them, lower-case names, numbers as strings.
 *
 * @example
 * ```ts
 * const page = { status: res.statusCode, headers: responseHeaders(res), body }
 * ```
 */
export function responseHeaders(res: ServerResponse): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return headers;
}

/**
 * Patches the response's `Cache-Control` with `changes` (see `patchCacheControl`); removes
 * the header when nothing is left. Does nothing once the headers are sent.
 *
 * @example
 * ```ts
 * applyCacheControl(res, resolveDirectives({ public: true, maxAge: '5m' }))
 * ```
 */
export function applyCacheControl(res: ServerResponse, changes: Readonly<Partial<CacheControl>>): void {
  if (res.headersSent) return;
  const value = patchCacheControl(headerText(res, 'cache-control'), changes);
  if (value === '') res.removeHeader('Cache-Control');
  else res.setHeader('Cache-Control', value);
}

/**
 * Django's `never_cache` on a Node response: `Cache-Control: max-age=0, no-cache, no-store,
 * must-revalidate, private` and `Expires` equal to the response's `Date` (set now when the
 * response has none, so the two agree). Does nothing once the headers are sent.
 *
 * @example
 * ```ts
 * beforeHeaders(res, () => applyNeverCache(res))
 * ```
 */
export function applyNeverCache(res: ServerResponse): void {
  if (res.headersSent) return;
  res.setHeader('Cache-Control', NEVER_CACHE);
  const date = headerText(res, 'date') ?? formatHttpDate(Date.now());
  res.setHeader('Date', date);
  res.setHeader('Expires', date);
}

/**
 * Adds field names to the response's `Vary` (RFC 9110 §12.5.5), once each, keeping what it
 * says. Does nothing once the headers are sent.
 *
 * @example
 * ```ts
 * addVary(res, ['Cookie'])
 * ```
 */
export function addVary(res: ServerResponse, names: readonly string[]): void {
  if (res.headersSent) return;
  res.setHeader('Vary', mergeVary(headerText(res, 'vary'), names));
}
