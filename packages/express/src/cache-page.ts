import type { Duration, PageCacheOptions } from '@cachette/core';
import type { Request, RequestHandler } from 'express';
import { captureResponse } from './capture.js';
import { pageCaches } from './page-caches.js';
import { toPageRequest } from './page-request.js';
import { marksOf } from './route-marks.js';
import { writePage } from './write-page.js';

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
  return pageMiddleware(ttl, options, false);
}

/** `cachePage`, or the site-wide variant that leaves `neverCache()` requests alone. */
export function pageMiddleware(ttl: Duration, options: PageCacheOptions, siteWide: boolean): RequestHandler {
  const pageFor = pageCaches(ttl, options);
  return async function cachePageMiddleware(req, res, next) {
    if (siteWide && marksOf(req)?.neverCache) return next();
    const decision = await pageFor(marksOf(req)).begin(toPageRequest(req));
    switch (decision.action) {
      case 'serve':
        writePage(res, decision.response, res, { head: isHead(req), replace: false });
        return;
      case 'pass': {
        const { onFinish } = decision;
        if (onFinish !== undefined) res.once('finish', () => onFinish(res.statusCode));
        return next();
      }
      case 'render':
        captureResponse(res, decision.capture, {
          head: isHead(req),
          passThrough: () => marksOf(req)?.neverCache === true,
        });
        return next();
    }
  };
}

function isHead(req: Request): boolean {
  return req.method === 'HEAD';
}
