import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { cacheControl, cachePage, cachette, NEVER_CACHE, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/express';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { describe, expect, it } from 'vitest';
import { type Reply, type RouteSpec, type SeenRequest, sleep, streamChunk } from './harness.js';
import { optionsConformance } from './options-conformance.js';
import { type AppSpec, type MakeApp, pageConformance } from './page-conformance.js';

const makeApp: MakeApp = async (spec: AppSpec) => {
  const app = express();
  if (spec.siteWide) app.use(cachette(spec.siteWide));
  for (const route of spec.routes) {
    const method = route.method === 'ALL' ? 'all' : route.method === 'POST' ? 'post' : 'get';
    app[method](route.path, ...middleware(route), handler(route));
  }
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

function middleware(route: RouteSpec): RequestHandler[] {
  const chain: RequestHandler[] = [];
  if (route.varyOnHeaders) chain.push(varyOnHeaders(...route.varyOnHeaders));
  if (route.varyOnCookies) chain.push(varyOnCookies(...route.varyOnCookies));
  if (route.cachePage) chain.push(cachePage(route.cachePage.ttl, route.cachePage.options));
  if (route.neverCache) chain.push(neverCache());
  if (route.cacheControl) chain.push(cacheControl(route.cacheControl));
  return chain;
}

function handler(route: RouteSpec): RequestHandler {
  return async (req, res) => {
    const seen: SeenRequest = { method: req.method, url: req.originalUrl, headers: req.headers };
    const reply = await route.reply(seen);
    if (reply.delay) await sleep(reply.delay);
    if (reply.throw) throw new Error('handler failed');
    await answer(reply, req, res);
  };
}

async function answer(reply: Reply, _req: Request, res: Response): Promise<void> {
  res.status(reply.status ?? 200);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.vary !== undefined) res.setHeader('Vary', reply.vary);
  if (reply.cookie !== undefined) res.append('Set-Cookie', reply.cookie);
  if (reply.stream) {
    for (let i = 0; i < reply.stream.chunks; i++) {
      if (!res.write(streamChunk(i, reply.stream.size))) await once(res, 'drain');
    }
    // what stream.pipeline does with a source that errors mid-way
    if (reply.stream.fail) res.destroy(new Error('source failed'));
    else res.end();
    return;
  }
  if (reply.json !== undefined) res.json(reply.json);
  else res.send(reply.body ?? '');
}

pageConformance('express 5', makeApp, { describe, it, expect });
const factories = { cachePage, cachette, cacheControl, varyOnHeaders, varyOnCookies, NEVER_CACHE };
optionsConformance('express 5', factories, { describe, it, expect });
