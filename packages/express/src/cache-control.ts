import { applyCacheControl, beforeHeaders } from '@cachette/core/node';
import { type CacheControlDirectives, resolveDirectives } from '@cachette/core/pages';
import type { RequestHandler } from 'express';

/**
 * Patches the response's `Cache-Control` with these directives (Django's `cache_control`):
 * other directives stay, `public` and `private` replace each other, and of two `max-age`
 * values the smaller wins. Durations are strings or milliseconds, as everywhere in cachette.
 *
 * @example
 * ```ts
 * app.get('/catalogue', cacheControl({ public: true, maxAge: '5m' }), (req, res) => { … })
 * // Cache-Control: public, max-age=300
 * ```
 */
export function cacheControl(directives: CacheControlDirectives): RequestHandler {
  const changes = resolveDirectives(directives);
  return (_req, res, next) => {
    beforeHeaders(res, () => applyCacheControl(res, changes));
    next();
  };
}
