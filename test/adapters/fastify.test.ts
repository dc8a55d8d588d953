import { Readable } from 'node:stream';
import { createSitePageCache } from '@cachette/core';
import { cacheControl, cachePage, cachette, NEVER_CACHE, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/fastify';
import Fastify, { type FastifyReply, type FastifyRequest, type onRequestAsyncHookHandler } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type Reply, type RouteSpec, type SeenRequest, sleep, streamChunk } from './harness.js';
import { optionsConformance } from './options-conformance.js';
import { type AppSpec, type MakeApp, pageConformance } from './page-conformance.js';

const makeApp: MakeApp = async (spec: AppSpec) => {
  const app = Fastify();
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
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
};

function hooks(route: RouteSpec): onRequestAsyncHookHandler[] {
  const chain: onRequestAsyncHookHandler[] = [];
  if (route.varyOnHeaders) chain.push(varyOnHeaders(...route.varyOnHeaders));
  if (route.varyOnCookies) chain.push(varyOnCookies(...route.varyOnCookies));
  if (route.cachePage) chain.push(cachePage(route.cachePage.ttl, route.cachePage.options));
  if (route.neverCache) chain.push(neverCache());
  if (route.cacheControl) chain.push(cacheControl(route.cacheControl));
  return chain;
}

function handler(route: RouteSpec) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const seen: SeenRequest = { method: request.method, url: request.originalUrl, headers: request.headers };
    const answerWith = await route.reply(seen);
    if (answerWith.delay) await sleep(answerWith.delay);
    if (answerWith.throw) throw new Error('handler failed');
    return answer(answerWith, reply);
  };
}

function answer(reply: Reply, res: FastifyReply): FastifyReply {
  res.code(reply.status ?? 200);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.header(name, value);
  if (reply.vary !== undefined) res.header('Vary', reply.vary);
  if (reply.cookie !== undefined) res.header('Set-Cookie', reply.cookie);
  const { stream } = reply;
  if (stream) {
    return res.send(
      Readable.from(
        (function* () {
          for (let i = 0; i < stream.chunks; i++) yield streamChunk(i, stream.size);
        })(),
      ),
    );
  }
  if (reply.json !== undefined) return res.send(reply.json);
  return res.send(reply.body ?? '');
}

pageConformance('fastify 5', makeApp, { describe, it, expect });
// the plugin resolves its options with createSitePageCache when it is registered (see below)
const factories = { cachePage, cachette: createSitePageCache, cacheControl, varyOnHeaders, varyOnCookies, NEVER_CACHE };
optionsConformance('fastify 5', factories, { describe, it, expect });

describe('the cachette plugin: fastify 5', () => {
  it('fails register with the core’s error code when its options are wrong', async () => {
    const app = Fastify();
    await expect(app.register(cachette, { cache: undefined as never, ttl: -1 })).rejects.toMatchObject({ code: 'E_INVALID_DURATION' });
    await app.close();
  });
});
