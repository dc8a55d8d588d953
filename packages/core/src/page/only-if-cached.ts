import { headerValue, type RawHeaders } from '../http/headers.js';
import { parseDirectives } from '../http/tokenizer.js';
import { withCacheStatus } from './cache-status.js';
import type { PageDecision } from './types.js';

/** True when the request's `Cache-Control` says `only-if-cached` (RFC 9111 §5.2.1.7). */
export function onlyIfCached(headers: RawHeaders): boolean {
  const value = headerValue(headers, 'cache-control');
  return value !== undefined && parseDirectives(value).some((directive) => directive.name === 'only-if-cached');
}

/**
 * The answer to `only-if-cached` when nothing stored may be sent (RFC 9111 §5.2.1.7): `504
 * Gateway Timeout`, empty, and the handler never runs.
 *
 * @example
 * notCached('cachette') // { action: 'serve', response: { status: 504, … } }
 */
export function notCached(cacheStatus: string | undefined): PageDecision {
  const headers = withCacheStatus({ 'content-length': '0', 'cache-control': 'no-store' }, cacheStatus, { detail: 'only-if-cached' });
  return { action: 'serve', response: { status: 504, headers, body: new Uint8Array(0) } };
}
