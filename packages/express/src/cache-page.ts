import type { Duration, PageCacheOptions } from '@cachette/core';
import { applyPass, captureResponse, sendPageLater } from '@cachette/core/node';
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
  return function cachePageMiddleware(req, res, next) {
    if (siteWide && marksOf(req)?.neverCache) return next();
    const request = toPageRequest(req);
    // A plain GET of a fresh page: decided at once, written in one writeHead + end after this poll
    // phase (sendPageLater): headers middleware upstream sets after next() go out (the page's win);
    // a response upstream writes itself in the meantime is the one that goes out.
    const hit = pages.hit(request);
    if (hit !== undefined) return sendPageLater(res, hit);
    return pages.begin(request).then((decision) => {
      switch (decision.action) {
        case 'serve':
          sendPageLater(res, decision.response);
          return;
        case 'pass':
          applyPass(res, decision);
          return next();
        case 'render':
          // a neverCache() behind this middleware (or a site-wide one) streams the response through
          captureResponse(res, decision.capture, { head: req.method === 'HEAD', passThrough: () => marksOf(req)?.neverCache === true });
          return next();
      }
    });
  };
}
