import type { Duration, PageCacheOptions } from '@cachette/core';
import { captureResponse, onFinished, sendPage } from '@cachette/core/node';
import { createPageCache, marksOf, type PageCache } from '@cachette/core/pages';
import type { RequestHandler } from 'express';
import { toPageRequest } from './page-request.js';

/**
 * Caches the pages of a route (Django's `cache_page`): the core decides, per request, to
 * serve a stored page, to render and maybe store, or to stay out of the way.
 *
 * Put `varyOnHeaders` / `varyOnCookies` in front of it. Options are checked here: a
 * mistake throws `InvalidOptionError` when the middleware is made, never in a request.
 *
 * @param ttl - how long a 200 stays fresh (`'15m'`, or milliseconds)
 * @param options - the route options shared by every adapter; defaults: the shared page
 *   cache, statuses `{ 200: ttl }`, no SWR, `maxBodyBytes` `'1mb'`, `lockTimeout` `'5s'`
 * @example
 * ```ts
 * app.get('/products/:id',
 *   cachePage('15m', { tags: (req) => [`product:${req.params?.id}`] }),
 *   (req, res) => { res.json(findProduct(req.params.id)) })
 * ```
 */
export function cachePage(ttl: Duration, options: PageCacheOptions = {}): RequestHandler {
  return pageMiddleware(createPageCache(ttl, options), false);
}

/** Does what `pages` decides for each request; `siteWide` leaves `neverCache()` requests alone. */
export function pageMiddleware(pages: PageCache, siteWide: boolean): RequestHandler {
  return async function cachePageMiddleware(req, res, next) {
    if (siteWide && marksOf(req)?.neverCache) return next();
    const decision = await pages.begin(toPageRequest(req));
    const head = req.method === 'HEAD';
    switch (decision.action) {
      case 'serve':
        sendPage(res, decision.response);
        return;
      case 'pass': {
        const { onFinish, headers } = decision;
        if (headers !== undefined) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        if (onFinish !== undefined) onFinished(res, onFinish);
        return next();
      }
      case 'render':
        // a neverCache() behind this middleware (or a site-wide one) streams the response through
        captureResponse(res, decision.capture, { head, passThrough: () => marksOf(req)?.neverCache === true });
        return next();
    }
  };
}
