import { Readable } from 'node:stream';
import { cacheControl, cachePage, cachette, NEVER_CACHE, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/koa';
import Router from '@koa/router';
import type Koa from 'koa';
import type { Context, Middleware } from 'koa';
import { describe, expect, it } from 'vitest';
import { listenOn } from '../../../packages/core/test/node/support.js';
import { type Reply, type RouteSpec, type SeenRequest, streamChunk } from '../harness.js';
import { optionsConformance } from '../options-conformance.js';
import { type AppSpec, type MakeApp, pageConformance } from '../page-conformance.js';
import { replyTo, routeChain } from './route-chain.js';

/** Both conformance suites on the adapter, in an app of this `Koa` (Koa 2 or 3). */
export function koaConformance(name: string, KoaApp: typeof Koa): void {
  pageConformance(name, makeApp(KoaApp), { describe, it, expect });
  const factories = { cachePage, cachette, cacheControl, varyOnHeaders, varyOnCookies, NEVER_CACHE };
  optionsConformance(name, factories, { describe, it, expect });
}

const makeApp =
  (KoaApp: typeof Koa): MakeApp =>
  async (spec: AppSpec) => {
    const app = new KoaApp();
    app.silent = !process.env.KOA_DEBUG;
    const router = new Router();
    if (spec.siteWide) app.use(cachette(spec.siteWide));
    for (const route of spec.routes) {
      const method = route.method === 'ALL' ? 'all' : route.method === 'POST' ? 'post' : 'get';
      router[method](route.path, ...middleware(route), handler(route));
    }
    app.use(router.routes());
    app.use(router.allowedMethods());
    return listenOn(app.listen(0, '127.0.0.1'));
  };

function middleware(route: RouteSpec): Middleware[] {
  return routeChain(route, { varyOnHeaders, varyOnCookies, cachePage, neverCache, cacheControl });
}

function handler(route: RouteSpec): Middleware {
  return async (ctx) => {
    const seen: SeenRequest = { method: ctx.method, url: ctx.originalUrl, headers: ctx.headers };
    const reply = await replyTo(route, seen);
    answer(reply, ctx);
  };
}

function answer(reply: Reply, ctx: Context): void {
  ctx.status = reply.status ?? 200;
  for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
  // Koa's own conditional GET: ctx.fresh compares the request's validators with the response's
  if (reply.conditional && ctx.fresh) {
    ctx.status = 304;
    return;
  }
  if (reply.vary !== undefined) ctx.set('Vary', reply.vary);
  if (reply.cookie !== undefined) ctx.append('Set-Cookie', reply.cookie);
  const { stream } = reply;
  if (stream) {
    ctx.body = Readable.from(
      (function* () {
        for (let i = 0; i < stream.chunks; i++) yield streamChunk(i, stream.size);
        if (stream.fail) throw new Error('source failed');
      })(),
    );
  } else if (reply.json !== undefined) ctx.body = reply.json;
  else ctx.body = reply.body ?? '';
}
