import { applyNeverCache } from '@cachette/core/node';
import { markRequest } from '@cachette/core/pages';
import type { Middleware } from 'koa';
import { aroundHandler } from './around-handler.js';

/**
 * Marks a route's responses as never to be cached by anyone (Django's `never_cache`): sets
 * `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private` and `Expires` equal to
 * the response's `Date` over whatever the handler set, and a site-wide `cachette()` leaves the request alone.
 *
 * @example
 * ```ts
 * router.get('/live', neverCache(), (ctx) => { ctx.body = liveStats() })
 * ```
 */
export function neverCache(): Middleware {
  const patch = aroundHandler((ctx) => applyNeverCache(ctx.res));
  return (ctx, next) => {
    markRequest(ctx).neverCache = true;
    return patch(ctx, next);
  };
}
