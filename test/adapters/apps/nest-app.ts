import 'reflect-metadata';
import { Readable } from 'node:stream';
import { createCache } from '@cachette/core';
import { CacheControl, CachePage, CachetteModule, NEVER_CACHE, NeverCache, VaryOnCookies, VaryOnHeaders } from '@cachette/nest';
import { All, Controller, Get, type INestApplication, Module, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { describe, expect, it } from 'vitest';
import { isFreshByHand, type Reply, type RouteSpec, type SeenRequest, streamChunk } from '../harness.js';
import { type AdapterFactories, optionsConformance } from '../options-conformance.js';
import { type AppSpec, type MakeApp, pageConformance } from '../page-conformance.js';
import { replyTo } from './route-chain.js';

type Platform = 'express' | 'fastify';

/** One controller per route, its decorators applied as a Nest app would declare them. */
function controllerFor(route: RouteSpec, index: number): new () => unknown {
  class RouteController {
    async handle(req: { raw?: SeenRequest } & SeenRequest & { originalUrl?: string }, res: NestReply): Promise<unknown> {
      const raw = req.raw ?? req;
      const seen: SeenRequest = { method: raw.method, url: req.originalUrl ?? raw.url, headers: raw.headers };
      const reply = await replyTo(route, seen);
      // platform-express: Express's req.fresh (once the headers are set); platform-fastify has none, so by hand
      const fresh = () => ('fresh' in req ? (req as { fresh?: boolean }).fresh === true : isFreshByHand(seen.headers, reply.headers ?? {}));
      return answer(reply, res, fresh);
    }
  }
  Object.defineProperty(RouteController, 'name', { value: `Route${index}Controller` });
  const proto = RouteController.prototype as unknown as Record<string, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'handle') as PropertyDescriptor;
  const verb = route.method === 'POST' ? Post : route.method === 'ALL' ? All : Get;
  const decorators: MethodDecorator[] = [verb(route.path)];
  if (route.varyOnHeaders) decorators.push(VaryOnHeaders(...route.varyOnHeaders));
  if (route.varyOnCookies) decorators.push(VaryOnCookies(...route.varyOnCookies));
  if (route.cachePage) decorators.push(CachePage(route.cachePage.ttl, route.cachePage.options));
  if (route.neverCache) decorators.push(NeverCache());
  if (route.cacheControl) decorators.push(CacheControl(route.cacheControl));
  for (const decorate of decorators.reverse()) decorate(proto, 'handle', descriptor);
  Req()(proto, 'handle', 0);
  Res({ passthrough: true })(proto, 'handle', 1);
  Reflect.defineMetadata('design:paramtypes', [Object, Object], proto, 'handle');
  Controller()(RouteController);
  return RouteController;
}

type NestReply = {
  status?: (code: number) => unknown;
  code?: (code: number) => unknown;
  header: (name: string, value: string | string[]) => unknown;
};

function answer(reply: Reply, res: NestReply, fresh: () => boolean): unknown {
  const status = reply.status ?? 200;
  const setStatus = (code: number) => (typeof res.code === 'function' ? res.code(code) : res.status?.(code));
  setStatus(status);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.header(name, value);
  if (reply.conditional && fresh()) {
    setStatus(304);
    return '';
  }
  if (reply.vary !== undefined) res.header('Vary', reply.vary);
  if (reply.cookie !== undefined) res.header('Set-Cookie', reply.cookie);
  if (reply.stream) {
    const { chunks, size } = reply.stream;
    return new StreamableFile(
      Readable.from(
        (function* () {
          for (let i = 0; i < chunks; i++) yield streamChunk(i, size);
          if (reply.stream?.fail) throw new Error('source failed');
        })(),
      ),
    );
  }
  if (reply.json !== undefined) return reply.json;
  // Nest sends a returned Buffer as JSON; binary bodies go out as a StreamableFile
  if (Buffer.isBuffer(reply.body)) return new StreamableFile(reply.body);
  return reply.body ?? '';
}

function makeApp(platform: Platform): MakeApp {
  return async (spec: AppSpec) => {
    const controllers = spec.routes.map(controllerFor);
    const siteWide = spec.siteWide;
    @Module({
      imports: [
        CachetteModule.forRoot(
          siteWide ? { cache: siteWide.cache, pages: { ttl: siteWide.ttl ?? '10m', ...siteWide } } : { cache: createCache() },
        ),
      ],
      controllers,
    })
    class AppModule {}
    const adapter = platform === 'express' ? new ExpressAdapter() : fastifyAcceptingAnyBody();
    const app: INestApplication = await NestFactory.create(AppModule, adapter, { logger: false });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const server = app.getHttpServer() as import('node:net').Server;
    const connections = () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    return { url: `http://127.0.0.1:${address.port}`, connections, close: () => app.close() };
  };
}

/** Fastify answers 415 to bodies it has no parser for; the suite posts plain text. */
function fastifyAcceptingAnyBody(): FastifyAdapter {
  const adapter = new FastifyAdapter();
  adapter.getInstance().addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  return adapter;
}

/**
 * The page suite on both of Nest's platforms. Which Nest that is, is decided by how
 * `@nestjs/*` resolve: the version matrix's vitest projects alias them to Nest 10 and 12.
 */
export function nestConformance(name: string): void {
  pageConformance(`${name} (platform-express)`, makeApp('express'), { describe, it, expect });
  const factories: AdapterFactories = {
    cachePage: (ttl, options) => CachePage(ttl, options),
    cachette: ({ ttl = '10m', ...pages }) => CachetteModule.forRoot({ cache: pages.cache, pages: { ...pages, ttl } }),
    cacheControl: (directives) => CacheControl(directives),
    varyOnHeaders: (...names) => VaryOnHeaders(...names),
    varyOnCookies: (...names) => VaryOnCookies(...names),
    NEVER_CACHE,
  };
  optionsConformance(name, factories, { describe, it, expect });
  pageConformance(`${name} (platform-fastify)`, makeApp('fastify'), { describe, it, expect });
}
