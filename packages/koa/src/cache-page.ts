import type { Duration, PageCacheOptions, PageCapture } from '@cachette/core';
import type { Context, Middleware, Next } from 'koa';
import { headerText } from './header-text.js';
import { pageCaches } from './page-caches.js';
import { toPageRequest } from './page-request.js';
import { readBody } from './read-body.js';
import { marksOf } from './route-marks.js';
import { writePage } from './write-page.js';

/**
 * Caches the pages of a route (Django's `cache_page`): the core decides, per request, to
 * serve a stored page, to render and maybe store, or to stay out of the way.
 *
 * Put `varyOnHeaders` / `varyOnCookies` in front of it. Options are checked here: a
 * mistake throws `InvalidOptionError` when the middleware is made, never in a request.
 *
 * @param ttl - how long a 200 stays fresh (`'15m'`, or milliseconds)
 * @param options - the route options shared by every adapter; defaults: the shared page
 *   cache, statuses `{ 200: ttl }`, no SWR, `maxBodyBytes` `'1mb'`, `lockTimeout` `'5s'`
 * @example
 * ```ts
 * router.get('/products/:id',
 *   cachePage('15m', { tags: (req) => [`product:${req.params?.id}`] }),
 *   (ctx) => { ctx.body = findProduct(ctx.params.id) })
 * ```
 */
export function cachePage(ttl: Duration, options: PageCacheOptions = {}): Middleware {
  return pageMiddleware(ttl, options, false);
}

/** `cachePage`, or the site-wide variant that leaves `neverCache()` requests alone. */
export function pageMiddleware(ttl: Duration, options: PageCacheOptions, siteWide: boolean): Middleware {
  const pageFor = pageCaches(ttl, options);
  return async function cachePageMiddleware(ctx, next) {
    if (siteWide && marksOf(ctx)?.neverCache) return next();
    const decision = await pageFor(marksOf(ctx)).begin(toPageRequest(ctx));
    switch (decision.action) {
      case 'serve':
        writePage(ctx, decision.response, { replace: false });
        return;
      case 'pass': {
        const { onFinish } = decision;
        if (onFinish !== undefined) ctx.res.once('finish', () => onFinish(ctx.res.statusCode));
        return next();
      }
      case 'render':
        return render(ctx, next, decision.capture);
    }
  };
}

async function render(ctx: Context, next: Next, capture: PageCapture): Promise<void> {
  let read: Awaited<ReturnType<typeof readBody>>;
  try {
    await next();
    // the handler wrote to ctx.res itself, or opted out: nothing to capture
    if (ctx.respond === false || marksOf(ctx)?.neverCache) return capture.overflow();
    read = await readBody(ctx, capture.maxBodyBytes);
  } catch (error) {
    const stale = await capture.fail(error);
    if (stale === undefined) throw error;
    writePage(ctx, stale, { replace: true });
    return;
  }
  if (!read.complete) {
    capture.overflow();
    // Koa drops Content-Length when one stream replaces another; the length has not changed
    const length = headerText(ctx, 'content-length');
    ctx.body = read.stream;
    if (length !== undefined) ctx.set('Content-Length', length);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(ctx.response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  const result = await capture.finish({ status: ctx.status, headers, body: read.body });
  writePage(ctx, result, { replace: true });
}
