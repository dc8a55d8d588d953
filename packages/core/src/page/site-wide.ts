import type { Cache } from '../cache/cache.js';
import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import type { Duration } from '../time/duration.js';
import { resolvePageOptions } from './options.js';
import { pageCacheOf } from './page-cache.js';
import type { PageCache, PageCacheOptions } from './types.js';

/** Options of a site-wide page cache (every adapter's `cachette()`): the route options, the cache and the TTL. */
export interface SitePageCacheOptions extends PageCacheOptions {
  /** The cache pages are stored in. */
  cache: Cache;
  /** How long a 200 stays fresh. Default `'10m'` (Django's `CACHE_MIDDLEWARE_SECONDS`). */
  ttl?: Duration;
}

/**
 * The page cache of a site-wide middleware (Django's `UpdateCacheMiddleware` +
 * `FetchFromCacheMiddleware`): as `createPageCache(ttl, rest)`, `ttl` defaulting to `'10m'`,
 * except that a response's own freshness (`s-maxage`, `max-age`, `Expires`) is its TTL
 * (`max-age=0`: not stored) and `ttl` applies only to responses that state none.
 * Throws `InvalidOptionError` on a mistake, as `createPageCache` does.
 *
 * @example
 * ```ts
 * const pages = createSitePageCache({ cache, ttl: '5m', varyCookies: ['session'] })
 * ```
 */
export function createSitePageCache(options: SitePageCacheOptions): PageCache {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError(ErrorCode.InvalidOption, message('cachette() takes an object of options such as { cache, ttl }'));
  }
  const { ttl = '10m', ...pageOptions } = options;
  return pageCacheOf(resolvePageOptions(ttl, pageOptions, 'response'));
}
