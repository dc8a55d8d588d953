import type { Cache } from '../cache/cache.js';
import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import type { RawHeaders } from '../http/headers.js';
import { splitHostPort } from '../http/host.js';
import { formatCacheStatus } from './cache-status.js';
import { locationPaths } from './invalidate-locations.js';
import { urlTag } from './key.js';
import type { PageContext } from './page-store.js';
import type { PageTarget } from './target.js';
import type { PageDecision } from './types.js';

/**
 * Drops every stored variant of a URL — every Vary variant, for GET and HEAD, under either
 * scheme — and its learned Vary list, from every tier (and, with a bus, every process).
 * `keyPrefix` must be the route's, if it has one.
 *
 * @example
 * ```ts
 * await purgeUrl(cache, 'https://shop.example.com/products/42?lang=fr')
 * ```
 */
export async function purgeUrl(cache: Cache, absoluteUrl: string, options: { keyPrefix?: string } = {}): Promise<void> {
  const keyPrefix = options.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string') throw invalid('purgeUrl: keyPrefix must be a string');
  let url: URL;
  try {
    url = new URL(absoluteUrl);
  } catch (cause) {
    throw invalid(`purgeUrl: ${JSON.stringify(absoluteUrl)} is not an absolute URL`, cause);
  }
  const host = url.protocol === 'http:' || url.protocol === 'https:' ? splitHostPort(url.host) : undefined;
  if (host === undefined) throw invalid(`purgeUrl: ${JSON.stringify(absoluteUrl)} is not an http(s) URL with a valid host`);
  const port = host.port === undefined ? '' : `:${host.port}`;
  await cache.deleteByTag(urlTag(keyPrefix, `${host.hostname}${port}`, `${url.pathname}${url.search}`));
}

/**
 * `pass` for an unsafe request: once its response has finished with a 2xx or 3xx, every
 * stored variant of its URL, and of its same-origin `Location` / `Content-Location` URLs when
 * the adapter hands over the response headers, is dropped (RFC 9111 §4.4). Failures go to `onError`.
 */
export function invalidatingPass(ctx: PageContext, target: PageTarget): PageDecision {
  let done = false;
  const { cacheStatus } = ctx.options;
  return {
    action: 'pass',
    ...(cacheStatus === undefined ? {} : { headers: { 'cache-status': formatCacheStatus(cacheStatus, { fwd: 'method' }) } }),
    onFinish(status: number, headers?: RawHeaders): void {
      if (done || !(status >= 200 && status < 400)) return;
      done = true;
      try {
        for (const path of [target.path, ...locationPaths(target, headers)]) {
          const tag = urlTag(ctx.options.keyPrefix, target.host, path);
          ctx.options.cache.deleteByTag(tag).catch((error: unknown) => ctx.report(error));
        }
      } catch (error) {
        ctx.report(error);
      }
    },
  };
}

function invalid(text: string, cause?: unknown): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, message(text), { cause });
}
