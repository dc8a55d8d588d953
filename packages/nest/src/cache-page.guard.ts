import type { Cache } from '@cachette/core';
import { sendPageLater } from '@cachette/core/node';
import type { PageCache } from '@cachette/core/pages';
import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { ApplicationConfig, Reflector } from '@nestjs/core';
import { CachePageInterceptor } from './cache-page.interceptor.js';
import type { CachetteModuleOptions } from './cachette.module.js';
import { missedHit, nestHttp, pageRequestOf } from './http.js';
import { moduleCache, type Route, type RouteSources, routeOf } from './route.js';
import { CACHETTE_CACHE, CACHETTE_MODULE_OPTIONS } from './tokens.js';

/** A route whose plain hits the guard answers. */
type FastRoute = Route & { page: PageCache };

/**
 * The last guard of a `@CachePage` route (`@CachePage` adds it; `CachetteModule` moves it after
 * every other guard of the route when the app starts): once every guard of the app has let the
 * request through, a plain hit (a GET or HEAD of a fresh page with nothing the cache must read)
 * is sent at once, in one `writeHead` + `end`, and Nest goes no further with the request — no
 * interceptor, pipe, handler or reply of Nest's. Only on routes that no interceptor of the app
 * wraps (global, controller's, or listed before `@CachePage`): there, so that they still see
 * every request, hits are sent by `CachePageInterceptor`. Anything else goes on to it too.
 *
 * @example
 * ```ts
 * @Get(':id') @UseGuards(AuthGuard) @CachePage('15m')   // AuthGuard runs first, then a hit is sent
 * find(@Param('id') id: string) { return this.products.find(id) }
 * ```
 */
@Injectable()
export class CachePageGuard implements CanActivate {
  /** By handler, for the controller it was last served under: the route, or `null` when its hits are the interceptor's. */
  readonly #routes = new WeakMap<object, { controller: object; route: FastRoute | null }>();
  readonly #sources: RouteSources;

  constructor(
    @Inject(Reflector) reflector: Reflector,
    @Inject(ApplicationConfig) private readonly config: ApplicationConfig,
    @Optional() @Inject(CACHETTE_CACHE) cache?: Cache,
    @Optional() @Inject(CACHETTE_MODULE_OPTIONS) options?: CachetteModuleOptions,
  ) {
    this.#sources = { reflector, cache: moduleCache(cache), options };
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.#route(context);
    if (route === null) return true;
    const http = nestHttp(context);
    const { req, res, reply } = http;
    const hit = route.page.hit(pageRequestOf(http, route));
    if (hit === undefined) {
      missedHit.add(req);
      return true;
    }
    // Fastify: this reply is answered by hand (no handler timeout, no "reply already sent")
    if (reply.raw !== undefined && typeof reply.hijack === 'function') reply.hijack();
    // Written after the loop's I/O phase rather than inside the parser's callback: under load the
    // hits of the requests read together are written together, which costs less per response
    // (bench/README.md, Nest notes); nothing else writes to this response in between.
    sendPageLater(res, hit);
    return answered();
  }

  #route(context: ExecutionContext): FastRoute | null {
    const handler = context.getHandler();
    const controller = context.getClass();
    const known = this.#routes.get(handler);
    // an inherited handler may be served under another controller, with its own guards and interceptors
    if (known !== undefined && known.controller === controller) return known.route;
    const read = routeOf(this.#sources, context);
    const fast = read.page !== undefined && !read.never && isLastGuard(context) && !this.#wrapped(context);
    const route = fast ? (read as FastRoute) : null;
    this.#routes.set(handler, { controller, route });
    return route;
  }

  /** Whether an interceptor of the app runs before the page interceptor on this route. */
  #wrapped(context: ExecutionContext): boolean {
    const first =
      this.config.getGlobalInterceptors()[0] ??
      this.config.getGlobalRequestInterceptors()[0]?.metatype ??
      metadataOf(INTERCEPTORS_METADATA, context.getClass())[0] ??
      metadataOf(INTERCEPTORS_METADATA, context.getHandler())[0];
    return first !== undefined && first !== CachePageInterceptor && !(first instanceof CachePageInterceptor);
  }
}

/**
 * Whether this guard is the route's last, as Nest lists them (the app's global guards, then the
 * controller's, then the handler's): only then have all the others let the request through.
 */
function isLastGuard(context: ExecutionContext): boolean {
  const own = metadataOf(GUARDS_METADATA, context.getHandler());
  const last = own.length > 0 ? own[own.length - 1] : metadataOf(GUARDS_METADATA, context.getClass()).at(-1);
  return last === CachePageGuard;
}

function metadataOf(key: string, target: object): readonly unknown[] {
  return (Reflect.getMetadata(key, target) as unknown[] | undefined) ?? [];
}

const ignore = () => undefined;

/**
 * What the guard returns once it has sent a hit: a promise that never settles, so that Nest takes
 * the request no further (no interceptor, handler or reply runs) and nothing is thrown to the
 * app's exception filters. Nothing else holds it: it is collected with the request's other objects.
 */
function answered(): Promise<boolean> {
  return new Promise<boolean>(ignore);
}
