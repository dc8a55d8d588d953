import { createSitePageCache, type SitePageCacheOptions } from '@cachette/core/pages';
import type { Middleware } from 'koa';
import { pageMiddleware } from './cache-page.js';

/** Options of the site-wide {@link cachette} middleware: `cache`, `ttl` (default `'10m'`) and every `cachePage` option. */
export type CachetteOptions = SitePageCacheOptions;

/**
 * Caches every page of the app (Django's `UpdateCacheMiddleware` + `FetchFromCacheMiddleware`).
 * A route opts out with `neverCache()`; a response that says `no-store` or `private`, sets a
 * cookie or answers anything but a storable status is not kept anyway — the core vetoes it.
 *
 * Use it before the router. Vary on request headers with `varyHeaders` here, or let the
 * routes answer with `Vary` (learned); cookies a page varies on go in `varyCookies` here,
 * since the cache must know them before any route runs.
 *
 * @example
 * ```ts
 * const app = new Koa()
 * app.use(cachette({ cache, ttl: '5m', varyCookies: ['session'] }))
 * router.get('/live', neverCache(), (ctx) => { ctx.body = stats() })
 * app.use(router.routes())
 * ```
 */
export function cachette(options: CachetteOptions): Middleware {
  return pageMiddleware(createSitePageCache(options), true);
}
