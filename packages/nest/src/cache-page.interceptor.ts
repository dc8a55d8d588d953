import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Cache, InvalidOptionError } from '@cachette/core';
import type { CacheControl } from '@cachette/core/http';
import {
  addVary,
  applyCacheControl,
  applyNeverCache,
  beforeHeaders,
  captureResponse,
  nodePageRequest,
  onFinished,
} from '@cachette/core/node';
import { createPageCache, createSitePageCache, type PageCache, type PageCapture, type PageResponse } from '@cachette/core/pages';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable, of } from 'rxjs';
import type { CachetteModuleOptions } from './cachette.module.js';
import {
  CACHE_CONTROL_METADATA,
  CACHE_PAGE_METADATA,
  CACHE_TAGS_METADATA,
  type CachePageMetadata,
  type CacheTagsMetadata,
  NEVER_CACHE_METADATA,
  VARY_COOKIES_METADATA,
  VARY_HEADERS_METADATA,
} from './metadata.js';
import { CACHETTE_CACHE, CACHETTE_MODULE_OPTIONS } from './tokens.js';

/** Express gives Node's objects; Fastify wraps them (`request.raw`, `reply.raw`). */
type HttpArgs = { raw?: IncomingMessage; params?: Record<string, string>; originalUrl?: string } & Partial<IncomingMessage>;

/** What the decorators say of one route, read once. */
interface Route {
  never: boolean;
  directives: Readonly<Partial<CacheControl>> | undefined;
  page: PageCache | undefined;
  varyHeaders: readonly string[] | undefined;
  varyCookies: readonly string[] | undefined;
}

/**
 * Runs the core page cache around a handler, after guards and pipes. On a hit the handler does
 * not run and whatever Nest then replies is replaced by the stored page; on a miss what Nest
 * sends is captured, handed to the core, and what it returns is sent. Apply it per route with
 * `@CachePage`, or app-wide with `CachetteModule.forRoot({ pages: { ttl } })`.
 *
 * @example
 * ```ts
 * app.useGlobalInterceptors(app.get(CachePageInterceptor))
 * ```
 */
@Injectable()
export class CachePageInterceptor implements NestInterceptor {
  readonly #routes = new WeakMap<object, Route>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Optional() @Inject(CACHETTE_CACHE) private readonly cache?: Cache,
    @Optional() @Inject(CACHETTE_MODULE_OPTIONS) private readonly options?: CachetteModuleOptions,
  ) {
    if (!cache) {
      throw new InvalidOptionError(
        'E_INVALID_OPTION',
        '[cachette:nest] @CachePage, @NeverCache and @CacheControl need the cache: add CachetteModule.forRoot(…) (or forRootAsync) to the imports of your root module',
      );
    }
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const route = this.#route(context);
    const http = context.switchToHttp();
    const request = http.getRequest<HttpArgs>();
    const reply = http.getResponse<{ raw?: ServerResponse } & Partial<ServerResponse>>();
    const req = (request.raw ?? request) as IncomingMessage;
    const res = (reply.raw ?? reply) as ServerResponse;
    // app-wide and per-route use may both apply to one request: the first one acts
    if (seen.has(req)) return next.handle();
    seen.add(req);

    // patched once the handler's headers are final, as Django's decorators patch the response
    if (route.never) {
      beforeHeaders(res, () => applyNeverCache(res));
      return next.handle();
    }
    const { directives, varyHeaders, varyCookies } = route;
    if (directives) beforeHeaders(res, () => applyCacheControl(res, directives));
    if (varyHeaders) beforeHeaders(res, () => addVary(res, varyHeaders));
    if (varyCookies) beforeHeaders(res, () => addVary(res, ['Cookie']));
    const { page } = route;
    if (!page) return next.handle();

    const pageRequest = nodePageRequest(req, {
      url: request.originalUrl ?? req.url,
      params: request.params,
      varyHeaders: route.varyHeaders,
      varyCookies: route.varyCookies,
    });
    const head = req.method === 'HEAD';
    return from(page.begin(pageRequest)).pipe(
      mergeMap((decision) => {
        switch (decision.action) {
          case 'serve':
            // the handler does not run; what Nest replies instead is swapped for the stored page
            captureResponse(res, replay(decision.response), { head });
            return of(undefined);
          case 'pass': {
            const { onFinish, headers } = decision;
            if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
            if (onFinish) onFinished(res, onFinish);
            return next.handle();
          }
          case 'render':
            captureResponse(res, decision.capture, { head });
            return next.handle();
        }
      }),
    );
  }

  /** The route's decorators, read and turned into a page cache once per handler. */
  #route(context: ExecutionContext): Route {
    const handler = context.getHandler();
    let route = this.#routes.get(handler);
    if (route) return route;
    const targets = [handler, context.getClass()];
    const read = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, targets);
    const cached = read<CachePageMetadata>(CACHE_PAGE_METADATA);
    const appWide = this.options?.pages;
    let page: PageCache | undefined;
    const tags = read<CacheTagsMetadata>(CACHE_TAGS_METADATA);
    if (cached) {
      const options = cached.options;
      page = createPageCache(cached.ttl, { ...options, cache: options.cache ?? this.cache, tags: tags ?? options.tags });
    } else if (appWide) {
      // app-wide is Django's cache middleware: the response's own max-age is the TTL where it states one
      page = createSitePageCache({ ...appWide, cache: appWide.cache ?? (this.cache as Cache), tags: tags ?? appWide.tags });
    }
    route = {
      never: read<boolean>(NEVER_CACHE_METADATA) === true,
      directives: read<Partial<CacheControl>>(CACHE_CONTROL_METADATA),
      page,
      varyHeaders: read<readonly string[]>(VARY_HEADERS_METADATA),
      varyCookies: read<readonly string[]>(VARY_COOKIES_METADATA),
    };
    this.#routes.set(handler, route);
    return route;
  }
}

const seen = new WeakSet<IncomingMessage>();

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
