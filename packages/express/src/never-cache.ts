import { applyNeverCache, beforeHeaders } from '@cachette/core/node';
import { markRequest } from '@cachette/core/pages';
import type { RequestHandler } from 'express';

/**
 * Marks a route's responses as never to be cached by anyone (Django's `never_cache`): sets
 * `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private` and `Expires` equal to
 * the response's `Date` over whatever the handler set, and a site-wide `cachette()` leaves the request alone.
 *
 * @example
 * ```ts
 * app.get('/live', neverCache(), (req, res) => { res.json(liveStats()) })
 * ```
 */
export function neverCache(): RequestHandler {
  return (req, res, next) => {
    markRequest(req).neverCache = true;
    beforeHeaders(res, () => applyNeverCache(res));
    next();
  };
}
