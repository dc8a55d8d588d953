import type { Duration, PageCacheOptions } from '@cachette/core';
import { captureResponse, onFinished, writePage } from '@cachette/core/node';
import { createPageCache, marksOf, type PageCache } from '@cachette/core/pages';
import type { onRequestAsyncHookHandler } from 'fastify';
import { toPageRequest } from './page-request.js';

/**
 * Caches the pages of a route (Django's `cache_page`), as a route hook: the core decides, per
 * request, to serve a stored page, to render and maybe store, or to stay out of the way.
 *
 * Use it in `onRequest` (a hit then skips body parsing) or `preHandler` (after your auth
 * hooks), after `varyOnHeaders` / `varyOnCookies`. Options are checked here: a mistake
 * throws `InvalidOptionError` when the hook is made, never in a request.
 *
 * @param ttl - how long a 200 stays fresh (`'15m'`, or milliseconds)
 * @param options - the route options shared by every adapter; defaults: the shared page
 *   cache, statuses `{ 200: ttl }`, no SWR, `maxBodyBytes` `'1mb'`, `lockTimeout` `'5s'`
 * @example
 * ```ts
 * fastify.get('/products/:id',
 *   { onRequest: cachePage('15m', { tags: (req) => [`product:${req.params?.id}`] }) },
 *   async (request) => findProduct(request.params.id))
 * ```
 */
export function cachePage(ttl: Duration, options: PageCacheOptions = {}): onRequestAsyncHookHandler {
  return pageHook(createPageCache(ttl, options), false);
}

/** Does what `pages` decides for each request; `siteWide` leaves `neverCache()` requests alone. */
export function pageHook(pages: PageCache, siteWide: boolean): onRequestAsyncHookHandler {
  return async function cachePageHook(request, reply) {
    if (siteWide && marksOf(request)?.neverCache) return;
    const decision = await pages.begin(toPageRequest(request));
    const res = reply.raw;
    const head = request.raw.method === 'HEAD';
    switch (decision.action) {
      case 'serve':
        // the stored page is what went out on the wire before: written as it is, past Fastify's onSend
        reply.hijack();
        writePage(res, decision.response, res, { head, replace: false });
        return;
      case 'pass': {
        const { onFinish, headers } = decision;
        if (headers !== undefined) for (const [name, value] of Object.entries(headers)) reply.header(name, value);
        if (onFinish !== undefined) onFinished(res, onFinish);
        return;
      }
      case 'render':
        // a neverCache() hook behind this one (or a site-wide one) streams the response through
        captureResponse(res, decision.capture, { head, passThrough: () => marksOf(request)?.neverCache === true });
        return;
    }
  };
}
