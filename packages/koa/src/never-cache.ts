import type { Middleware } from 'koa';
import { markRequest } from './route-marks.js';

/** What Django's `never_cache` sends. */
export const NEVER_CACHE = 'max-age=0, no-cache, no-store, must-revalidate, private';

/**
 * Marks a route's responses as never to be cached by anyone (Django's `never_cache`): sets
 * `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private` over whatever the
 * handler set, and a site-wide `cachette()` leaves the request alone.
 *
 * @example
 * ```ts
 * router.get('/live', neverCache(), (ctx) => { ctx.body = liveStats() })
 * ```
 */
export function neverCache(): Middleware {
  return async (ctx, next) => {
    markRequest(ctx).neverCache = true;
    ctx.set('Cache-Control', NEVER_CACHE);
    await next();
    ctx.set('Cache-Control', NEVER_CACHE);
  };
}
