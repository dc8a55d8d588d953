import { CachetteError, type Duration, ErrorCode, type PageCacheOptions } from '@cachette/core';
import { applyPass, beforeHeaders, headerText, responseHeaders, sendPageLater } from '@cachette/core/node';
import { createPageCache, marksOf, type PageCache, type PageCapture } from '@cachette/core/pages';
import type { Context, Middleware, Next } from 'koa';
import { toPageRequest } from './page-request.js';
import { readBody } from './read-body.js';
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
  return pageMiddleware(createPageCache(ttl, options), false);
}

/** Does what `pages` decides for each request; `siteWide` leaves `neverCache()` requests alone. */
export function pageMiddleware(pages: PageCache, siteWide: boolean): Middleware {
  return function cachePageMiddleware(ctx, next) {
    if (siteWide && marksOf(ctx)?.neverCache) return next();
    const request = toPageRequest(ctx);
    // A plain GET of a fresh page: decided at once, written past Koa's own reply machinery in one
    // writeHead + end after this poll phase (sendPageLater), so once the middleware upstream has run
    // on from next() as for any response: its headers go out (the page's win), its error answers.
    const hit = pages.hit(request);
    if (hit !== undefined) {
      ctx.respond = false;
      sendPageLater(ctx.res, hit);
      return Promise.resolve();
    }
    return pages.begin(request).then((decision) => {
      switch (decision.action) {
        case 'serve':
          ctx.respond = false;
          sendPageLater(ctx.res, decision.response);
          return;
        case 'pass':
          applyPass(ctx.res, decision);
          return next();
        case 'render':
          return render(ctx, next, decision.capture);
      }
    });
  };
}

async function render(ctx: Context, next: Next, capture: PageCapture): Promise<void> {
  let read: Awaited<ReturnType<typeof readBody>>;
  const gone = clientGone(ctx);
  // The handler reads the request's headers through the capture's view (strict: one that records
  // what it reads; a revalidation: the cache's validators in place of the client's), then they are put back.
  const headersBefore = ctx.req.headers;
  if (capture.headerView !== undefined) ctx.req.headers = capture.headerView as typeof ctx.req.headers;
  try {
    await next();
    // the handler wrote to ctx.res itself, or opted out: nothing to capture
    if (ctx.respond === false || marksOf(ctx)?.neverCache) return capture.abandon();
    read = await readBody(ctx, capture.maxBodyBytes);
    // The client left before the page was complete: nothing can be sent, nothing is stored.
    if (gone()) {
      await capture.fail(new CachetteError(ErrorCode.ResponseAborted, '[cachette:koa] the connection closed before the page was complete'));
      return;
    }
  } catch (error) {
    const stale = await capture.fail(error);
    if (stale === undefined) throw error;
    writePage(ctx, stale, { replace: true });
    return;
  } finally {
    ctx.req.headers = headersBefore;
  }
  if (!read.complete) {
    capture.overflow();
    // Koa drops Content-Length when one stream replaces another; the length has not changed
    const length = headerText(ctx.res, 'content-length');
    ctx.body = read.stream;
    if (length !== undefined) ctx.set('Content-Length', length);
    return;
  }
  // Held until sent: middleware outside this one (koa-session) may still set a cookie after
  // next() returns; the page is stored only if the headers that go out allow it.
  const result = await capture.finish(
    { status: ctx.status, headers: responseHeaders(ctx.res), body: read.body, streamed: read.streamed === true },
    { untilSent: true },
  );
  reportSentHeaders(ctx, capture);
  writePage(ctx, result, { replace: true });
}

/** True once the connection closed before the response was written (the client went away). */
function clientGone(ctx: Context): () => boolean {
  let gone = false;
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) gone = true;
  });
  return () => gone || ctx.req.destroyed;
}

/** Tells the capture which headers went out: on writeHead (Koa's respond), or none if the client left first. */
function reportSentHeaders(ctx: Context, capture: PageCapture): void {
  let reported = false;
  const report = (headers: ReturnType<typeof responseHeaders> | undefined) => {
    if (reported) return;
    reported = true;
    capture.sent?.(headers);
  };
  beforeHeaders(ctx.res, (res) => report(responseHeaders(res)));
  ctx.res.once('close', () => report(ctx.res.headersSent ? responseHeaders(ctx.res) : undefined));
}
