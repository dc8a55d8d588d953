import { beforeHeaders, markRequest, NEVER_CACHE } from '@cachette/core';
import type { RequestHandler } from 'express';

/**
 * Marks a route's responses as never to be cached by anyone (Django's `never_cache`): sets
 * `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private` over whatever the
 * handler set, and a site-wide `cachette()` leaves the request alone.
 *
 * @example
 * ```ts
 * app.get('/live', neverCache(), (req, res) => { res.json(liveStats()) })
 * ```
 */
export function neverCache(): RequestHandler {
  return (req, res, next) => {
    markRequest(req).neverCache = true;
    beforeHeaders(res, () => res.setHeader('Cache-Control', NEVER_CACHE));
    next();
  };
}
