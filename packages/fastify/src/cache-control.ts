import { applyCacheControl, beforeHeaders } from '@cachette/core/node';
import { type CacheControlDirectives, resolveDirectives } from '@cachette/core/pages';
import type { onRequestAsyncHookHandler } from 'fastify';

/**
 * Patches the response's `Cache-Control` with these directives (Django's `cache_control`), as
 * a route hook: other directives stay, `public` and `private` replace each other, and of two
 * `max-age` values the smaller wins. Durations are strings or milliseconds.
 *
 * @example
 * ```ts
 * fastify.get('/catalogue', { onRequest: cacheControl({ public: true, maxAge: '5m' }) }, async () => catalogue())
 * // Cache-Control: public, max-age=300
 * ```
 */
export function cacheControl(directives: CacheControlDirectives): onRequestAsyncHookHandler {
  const changes = resolveDirectives(directives);
  return async (_request, reply) => {
    beforeHeaders(reply.raw, (res) => applyCacheControl(res, changes));
  };
}
