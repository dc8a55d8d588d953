import { addVary } from '@cachette/core/node';
import { markRequest, varyOnNames } from '@cachette/core/pages';
import type { Middleware } from 'koa';
import { aroundHandler } from './around-handler.js';

/**
 * Declares request headers this route's pages vary on (Django's `vary_on_headers`): their
 * values join the cache key of a `cachePage` placed after it, and they are added to the
 * response's `Vary`.
 *
 * @example
 * ```ts
 * router.get('/ua', varyOnHeaders('Accept-Language'), cachePage('15m'), (ctx) => {
 *   ctx.body = greeting(ctx.acceptsLanguages())
 * })
 * ```
 */
export function varyOnHeaders(...names: string[]): Middleware {
  const fields = varyOnNames('varyOnHeaders', names);
  const patch = aroundHandler((ctx) => addVary(ctx.res, fields));
  return (ctx, next) => {
    markRequest(ctx).varyHeaders.push(...fields);
    return patch(ctx, next);
  };
}

/**
 * Declares cookies this route's pages vary on: their values join the cache key of a
 * `cachePage` placed after it (a request with any other cookie is not cached), and the
 * response says `Vary: Cookie`.
 *
 * @example
 * ```ts
 * router.get('/me', varyOnCookies('session'), cachePage('1m'), (ctx) => { ctx.body = profile(ctx) })
 * ```
 */
export function varyOnCookies(...names: string[]): Middleware {
  const cookies = varyOnNames('varyOnCookies', names);
  const patch = aroundHandler((ctx) => addVary(ctx.res, ['Cookie']));
  return (ctx, next) => {
    markRequest(ctx).varyCookies.push(...cookies);
    return patch(ctx, next);
  };
}
