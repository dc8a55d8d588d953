import { createSitePageCache, type SitePageCacheOptions } from '@cachette/core/pages';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { pageHook } from './cache-page.js';

/** Options of the site-wide {@link cachette} plugin: `cache`, `ttl` (default `'10m'`) and every `cachePage` option. */
export type CachetteOptions = SitePageCacheOptions;

const plugin: FastifyPluginAsync<CachetteOptions> = async (fastify, options) => {
  fastify.addHook('onRequest', pageHook(createSitePageCache(options), true));
};

/**
 * Caches every page of the app (Django's `UpdateCacheMiddleware` + `FetchFromCacheMiddleware`),
 * as a Fastify plugin that reaches every route of the instance it is registered on. A route
 * opts out with `neverCache()`; a response that says `no-store` or `private`, sets a cookie
 * or answers anything but a storable status is not kept anyway — the core vetoes it.
 *
 * Vary on request headers with `varyHeaders` here, or let the routes answer with `Vary`
 * (learned); cookies a page varies on go in `varyCookies` here, since the cache must know
 * them before any route runs. A mistake in the options fails `register` (`InvalidOptionError`).
 *
 * @example
 * ```ts
 * const app = Fastify()
 * await app.register(cachette, { cache, ttl: '5m', varyCookies: ['session'] })
 * app.get('/live', { onRequest: neverCache() }, async () => stats())
 * ```
 */
export const cachette = fp(plugin, { fastify: '5.x', name: '@cachette/fastify' });
