import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { cacheControl, cachePage, cachette, NEVER_CACHE, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/koa';
import Router from '@koa/router';
import Koa, { type Context, type Middleware } from 'koa';
import { describe, expect, it } from 'vitest';
import { type Reply, type RouteSpec, type SeenRequest, sleep, streamChunk } from './harness.js';
import { optionsConformance } from './options-conformance.js';
import { type AppSpec, type MakeApp, pageConformance } from './page-conformance.js';

const makeApp: MakeApp = async (spec: AppSpec) => {
  const app = new Koa();
  app.silent = !process.env.KOA_DEBUG;
  const router = new Router();
  if (spec.siteWide) app.use(cachette(spec.siteWide));
  for (const route of spec.routes) {
    const method = route.method === 'ALL' ? 'all' : route.method === 'POST' ? 'post' : 'get';
    router[method](route.path, ...middleware(route), handler(route));
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

function middleware(route: RouteSpec): Middleware[] {
  const chain: Middleware[] = [];
  if (route.varyOnHeaders) chain.push(varyOnHeaders(...route.varyOnHeaders));
  if (route.varyOnCookies) chain.push(varyOnCookies(...route.varyOnCookies));
  if (route.cachePage) chain.push(cachePage(route.cachePage.ttl, route.cachePage.options));
  if (route.neverCache) chain.push(neverCache());
  if (route.cacheControl) chain.push(cacheControl(route.cacheControl));
  return chain;
}

function handler(route: RouteSpec): Middleware {
  return async (ctx) => {
    const seen: SeenRequest = { method: ctx.method, url: ctx.originalUrl, headers: ctx.headers };
    const reply = await route.reply(seen);
    if (reply.delay) await sleep(reply.delay);
    if (reply.throw) throw new Error('handler failed');
    answer(reply, ctx);
  };
}

function answer(reply: Reply, ctx: Context): void {
  ctx.status = reply.status ?? 200;
  for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
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

pageConformance('koa 3', makeApp, { describe, it, expect });
const factories = { cachePage, cachette, cacheControl, varyOnHeaders, varyOnCookies, NEVER_CACHE };
optionsConformance('koa 3', factories, { describe, it, expect });
