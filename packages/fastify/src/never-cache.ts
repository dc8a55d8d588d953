import { applyNeverCache, beforeHeaders } from '@cachette/core/node';
import { markRequest } from '@cachette/core/pages';
import type { onRequestAsyncHookHandler } from 'fastify';

/**
 * Marks a route's responses as never to be cached by anyone (Django's `never_cache`), as a
 * route hook: sets `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`
 * over whatever the handler set, and the site-wide `cachette` plugin leaves the request alone.
 *
 * @example
 * ```ts
 * fastify.get('/live', { onRequest: neverCache() }, async () => liveStats())
 * ```
 */
export function neverCache(): onRequestAsyncHookHandler {
  return async (request, reply) => {
    markRequest(request).neverCache = true;
    beforeHeaders(reply.raw, (res) => applyNeverCache(res));
  };
}
