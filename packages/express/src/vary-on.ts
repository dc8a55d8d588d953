import { addVary, beforeHeaders } from '@cachette/core/node';
import { markRequest, varyOnNames } from '@cachette/core/pages';
import type { RequestHandler } from 'express';

/**
 * Declares request headers this route's pages vary on (Django's `vary_on_headers`): their
 * values join the cache key of a `cachePage` placed after it, and they are added to the
 * response's `Vary`.
 *
 * @example
 * ```ts
 * app.get('/ua', varyOnHeaders('Accept-Language'), cachePage('15m'), (req, res) => {
 *   res.send(greeting(req.acceptsLanguages()))
 * })
 * ```
 */
export function varyOnHeaders(...names: string[]): RequestHandler {
  const fields = varyOnNames('varyOnHeaders', names);
  return (req, res, next) => {
    markRequest(req).varyHeaders.push(...fields);
    beforeHeaders(res, () => addVary(res, fields));
    next();
  };
}

/**
 * Declares cookies this route's pages vary on: their values join the cache key of a
 * `cachePage` placed after it (a request with any other cookie is not cached), and the
 * response says `Vary: Cookie`.
 *
 * @example
 * ```ts
 * app.get('/me', varyOnCookies('session'), cachePage('1m'), (req, res) => { res.send(profile(req)) })
 * ```
 */
export function varyOnCookies(...names: string[]): RequestHandler {
  const cookies = varyOnNames('varyOnCookies', names);
  return (req, res, next) => {
    markRequest(req).varyCookies.push(...cookies);
    beforeHeaders(res, () => addVary(res, ['Cookie']));
    next();
  };
}
