import { addVary, beforeHeaders } from '@cachette/core/node';
import { markRequest, varyOnNames } from '@cachette/core/pages';
import type { onRequestAsyncHookHandler } from 'fastify';

/**
 * Declares request headers this route's pages vary on (Django's `vary_on_headers`), as a
 * route hook: their values join the cache key of a `cachePage` hook placed after it, and
 * they are added to the response's `Vary`.
 *
 * @example
 * ```ts
 * fastify.get('/ua', { onRequest: [varyOnHeaders('Accept-Language'), cachePage('15m')] }, async (request) =>
 *   greeting(request.headers['accept-language']))
 * ```
 */
export function varyOnHeaders(...names: string[]): onRequestAsyncHookHandler {
  const fields = varyOnNames('varyOnHeaders', names);
  return async (request, reply) => {
    markRequest(request).varyHeaders.push(...fields);
    beforeHeaders(reply.raw, (res) => addVary(res, fields));
  };
}

/**
 * Declares cookies this route's pages vary on, as a route hook: their values join the cache
 * key of a `cachePage` hook placed after it (a request with any other cookie is not cached),
 * and the response says `Vary: Cookie`.
 *
 * @example
 * ```ts
 * fastify.get('/me', { onRequest: [varyOnCookies('session'), cachePage('1m')] }, async (request) => profile(request))
 * ```
 */
export function varyOnCookies(...names: string[]): onRequestAsyncHookHandler {
  const cookies = varyOnNames('varyOnCookies', names);
  return async (request, reply) => {
    markRequest(request).varyCookies.push(...cookies);
    beforeHeaders(reply.raw, (res) => addVary(res, ['Cookie']));
  };
}
