import { Readable } from 'node:stream';
import { createSitePageCache } from '@cachette/core/pages';
import { cacheControl, cachePage, cachette, NEVER_CACHE, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/fastify';
import type Fastify from 'fastify';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { describe, expect, it } from 'vitest';
import { isFreshByHand, type Reply, type RouteSpec, type SeenRequest, streamChunk } from '../harness.js';
import { optionsConformance } from '../options-conformance.js';
import { type AppSpec, type MakeApp, pageConformance } from '../page-conformance.js';
import { replyTo, routeChain } from './route-chain.js';

/** Both conformance suites on the adapter, in an app of this `Fastify`, and the plugin's own check. */
export function fastifyConformance(name: string, createApp: typeof Fastify): void {
  pageConformance(name, makeApp(createApp), { describe, it, expect });
  // the plugin resolves its options with createSitePageCache when it is registered (see below)
  const factories = { cachePage, cachette: createSitePageCache, cacheControl, varyOnHeaders, varyOnCookies, NEVER_CACHE };
  optionsConformance(name, factories, { describe, it, expect });
  describe(`the cachette plugin: ${name}`, () => {
    it('fails register with the core’s error code when its options are wrong', async () => {
      const app = createApp();
      await expect(app.register(cachette, { cache: undefined as never, ttl: -1 })).rejects.toMatchObject({ code: 'E_INVALID_DURATION' });
      await app.close();
    });
  });
}

const makeApp =
  (createApp: typeof Fastify): MakeApp =>
  async (spec: AppSpec) => {
    const app = createApp();
    // Fastify answers 415 to bodies it has no parser for; the suite posts plain text and forms
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    if (spec.siteWide) await app.register(cachette, spec.siteWide);
    for (const route of spec.routes) {
      const method = route.method === 'ALL' ? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] : route.method === 'POST' ? 'POST' : 'GET';
      app.route({ method, url: route.path, onRequest: hooks(route), handler: handler(route) });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const connections = () => new Promise<number>((resolve, reject) => app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    return { url: `http://127.0.0.1:${port}`, connections, close: () => app.close() };
  };

function hooks(route: RouteSpec): onRequestAsyncHookHandler[] {
  return routeChain(route, { varyOnHeaders, varyOnCookies, cachePage, neverCache, cacheControl });
}

function handler(route: RouteSpec) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const seen: SeenRequest = { method: request.method, url: request.originalUrl, headers: request.headers };
    return answer(await replyTo(route, seen), reply, request);
  };
}

function answer(reply: Reply, res: FastifyReply, request: FastifyRequest): FastifyReply {
  res.code(reply.status ?? 200);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.header(name, value);
  // Fastify has no req.fresh: the handler compares the request's validators itself
  if (reply.conditional && isFreshByHand(request.headers, reply.headers ?? {})) return res.code(304).send();
  if (reply.vary !== undefined) res.header('Vary', reply.vary);
  if (reply.cookie !== undefined) res.header('Set-Cookie', reply.cookie);
  const { stream } = reply;
  if (stream) {
    return res.send(
      Readable.from(
        (function* () {
          for (let i = 0; i < stream.chunks; i++) yield streamChunk(i, stream.size);
          if (stream.fail) throw new Error('source failed');
        })(),
      ),
    );
  }
  if (reply.json !== undefined) return res.send(reply.json);
  return res.send(reply.body ?? '');
}
