import type { Cache } from '@cachette/core';
import { addVary, applyCacheControl, applyNeverCache, applyPass, beforeHeaders, captureResponse, sendPage } from '@cachette/core/node';
import type { PageCapture, PageResponse } from '@cachette/core/pages';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable, of } from 'rxjs';
import type { CachetteModuleOptions } from './cachette.module.js';
import { missedHit, nestHttp, pageRequestOf, seen } from './http.js';
import { moduleCache, type Route, type RouteSources, routeOf } from './route.js';
import { CACHETTE_CACHE, CACHETTE_MODULE_OPTIONS } from './tokens.js';

/**
 * Runs the core page cache around a handler, after guards and pipes. On a hit the handler does
 * not run and whatever Nest then replies is replaced by the stored page; on a miss what Nest
 * sends is captured, handed to the core, and what it returns is sent. Apply it per route with
 * `@CachePage`, or app-wide with `CachetteModule.forRoot({ pages: { ttl } })`. On a `@CachePage`
 * route that no interceptor of the app wraps, plain hits are sent before it, by the route's last
 * guard (`CachePageGuard`).
 *
 * @example
 * ```ts
 * app.useGlobalInterceptors(app.get(CachePageInterceptor))
 * ```
 */
@Injectable()
export class CachePageInterceptor implements NestInterceptor {
  readonly #sources: RouteSources;

  constructor(
    @Inject(Reflector) reflector: Reflector,
    @Optional() @Inject(CACHETTE_CACHE) cache?: Cache,
    @Optional() @Inject(CACHETTE_MODULE_OPTIONS) options?: CachetteModuleOptions,
  ) {
    this.#sources = { reflector, cache: moduleCache(cache), options };
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const route = this.#route(context);
    const http = nestHttp(context);
    const { reply, req, res } = http;
    // app-wide and per-route use may both apply to one request: the first one acts
    if (seen.has(req)) return next.handle();
    seen.add(req);

    if (route.never) {
      // patched once the handler's headers are final, as Django's decorators patch the response
      beforeHeaders(res, () => applyNeverCache(res));
      return next.handle();
    }
    const { page } = route;
    const pageRequest = page && pageRequestOf(http, route);
    const hit = pageRequest && !missedHit.has(req) ? page.hit(pageRequest) : undefined;
    // A plain GET of a fresh page, after the guards: written at once to the response, in one
    // writeHead + end. Nest still replies once the interceptors are done, with nothing: Express's
    // `res.send()` to an ended response writes nothing (and sets the status it already has);
    // Fastify's `reply.send()` would log "Reply was already sent", so this reply's is a no-op.
    if (hit !== undefined && hit.status === route.status) {
      sendPage(res, hit);
      if (reply.raw !== undefined) reply.send = alreadySent;
      return of(undefined);
    }
    const { directives, varyHeaders, varyCookies } = route;
    if (directives) beforeHeaders(res, () => applyCacheControl(res, directives));
    if (varyHeaders) beforeHeaders(res, () => addVary(res, varyHeaders));
    if (varyCookies) beforeHeaders(res, () => addVary(res, ['Cookie']));
    if (!page || !pageRequest) return next.handle();
    const head = req.method === 'HEAD';
    return from(page.begin(pageRequest)).pipe(
      mergeMap((decision) => {
        switch (decision.action) {
          case 'serve':
            // the handler does not run; what Nest replies instead is swapped for the stored page
            captureResponse(res, replay(decision.response), { head });
            return of(undefined);
          case 'pass':
            applyPass(res, decision);
            return next.handle();
          case 'render':
            captureResponse(res, decision.capture, { head });
            return next.handle();
        }
      }),
    );
  }

  /** The route's decorators, read and turned into a page cache once (see `routeOf`, which keeps it). */
  #route(context: ExecutionContext): Route {
    return routeOf(this.#sources, context);
  }
}

/** A Fastify reply's `send` once a hit was written to its raw response. */
function alreadySent<T>(this: T): T {
  return this;
}

/** A capture that throws away what Nest writes and sends a stored page instead. */
function replay(response: PageResponse): PageCapture {
  return {
    maxBodyBytes: Number.POSITIVE_INFINITY,
    finish: async () => response,
    overflow: () => undefined,
    abandon: () => undefined,
    fail: async () => response,
  };
}
