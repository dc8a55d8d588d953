import { applyCacheControl } from '@cachette/core/node';
import { type CacheControlDirectives, resolveDirectives } from '@cachette/core/pages';
import type { Middleware } from 'koa';
import { aroundHandler } from './around-handler.js';

/**
 * Patches the response's `Cache-Control` with these directives (Django's `cache_control`):
 * other directives stay, `public` and `private` replace each other, and of two `max-age`
 * values the smaller wins. Durations are strings or milliseconds, as everywhere in cachette.
 *
 * @example
 * ```ts
 * router.get('/catalogue', cacheControl({ public: true, maxAge: '5m' }), (ctx) => { … })
 * // Cache-Control: public, max-age=300
 * ```
 */
export function cacheControl(directives: CacheControlDirectives): Middleware {
  const changes = resolveDirectives(directives);
  return aroundHandler((ctx) => applyCacheControl(ctx.res, changes));
}
