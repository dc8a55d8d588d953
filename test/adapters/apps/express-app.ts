import { once } from 'node:events';
import { cacheControl, cachePage, cachette, NEVER_CACHE, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/express';
import type express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { listenOn } from '../../../packages/core/test/node/support.js';
import { type Reply, type RouteSpec, type SeenRequest, streamChunk } from '../harness.js';
import { optionsConformance } from '../options-conformance.js';
import { type AppSpec, type MakeApp, pageConformance } from '../page-conformance.js';
import { replyTo, routeChain } from './route-chain.js';

/** Both conformance suites on the adapter, in an app of this `express` (Express 4 or 5). */
export function expressConformance(name: string, createApp: typeof express): void {
  pageConformance(name, makeApp(createApp), { describe, it, expect });
  const factories = { cachePage, cachette, cacheControl, varyOnHeaders, varyOnCookies, NEVER_CACHE };
  optionsConformance(name, factories, { describe, it, expect });
}

const makeApp =
  (createApp: typeof express): MakeApp =>
  async (spec: AppSpec) => {
    const app = createApp();
    if (spec.siteWide) app.use(cachette(spec.siteWide));
    for (const route of spec.routes) {
      const method = route.method === 'ALL' ? 'all' : route.method === 'POST' ? 'post' : 'get';
      app[method](route.path, ...middleware(route), handler(route));
    }
    return listenOn(app.listen(0, '127.0.0.1'));
  };

function middleware(route: RouteSpec): RequestHandler[] {
  return routeChain(route, { varyOnHeaders, varyOnCookies, cachePage, neverCache, cacheControl });
}

function handler(route: RouteSpec): RequestHandler {
  // Express 4 does not catch a rejected handler: errors go to next() by hand, in 4 and 5 alike
  return (req, res, next) => {
    answerFor(route, req, res).catch(next);
  };
}

async function answerFor(route: RouteSpec, req: Request, res: Response): Promise<void> {
  const seen: SeenRequest = { method: req.method, url: req.originalUrl, headers: req.headers };
  const reply = await replyTo(route, seen);
  await answer(reply, req, res);
}

async function answer(reply: Reply, req: Request, res: Response): Promise<void> {
  res.status(reply.status ?? 200);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  // Express's own conditional GET: req.fresh compares the request's validators with the response's
  if (reply.conditional && req.fresh) {
    res.status(304).end();
    return;
  }
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
