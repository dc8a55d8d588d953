/**
 * NestJS 11 server of the page bench, one variant per process (`argv[2]`), on platform-express
 * or platform-fastify (`argv[3]`, default express), pages on `/catalogue/:n`:
 * - `uncached`: a controller method returning the page object (Nest serializes it per request)
 * - `static`: a controller method returning the prebuilt JSON text (Content-Type by `@Header`; a
 *   Buffer would be serialized as an object by platform-express)
 * - `static-pages`: the same, each page with its own copy of the text (a reference: the floor's
 *   working set as large as a cache's)
 * - `cachette`: the object route with `@CachePage('15m')`, `CachetteModule.forRoot({ cache })`
 * - `cache-manager`: the object route with `@UseInterceptors(CacheInterceptor)`,
 *   `CacheModule.register({ ttl: 15 min })` (@nestjs/cache-manager on cache-manager 7)
 *
 * Every controller sits behind a global guard that lets everything through: a hit must still
 * run the app's guards; it costs every variant alike.
 *
 * The controllers take no constructor arguments: tsx (esbuild) emits no decorator metadata, and
 * everything injected here is injected by token (`@Inject`) in the libraries' own builds.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import { CachePage, CachetteModule } from '@cachette/nest';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { type CanActivate, Controller, Get, Header, Module, Param, type Type, UseInterceptors } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type CataloguePage, ownPageText, PAGE, PAGE_JSON, PAGE_ROUTE } from './body.js';
import { benchCache } from './cache.js';
import { countHandlerCall, runServer, variantArg } from './child.js';

const NEST_VARIANTS = ['uncached', 'static', 'static-pages', 'cachette', 'cache-manager'] as const;
const ROUTE = `${PAGE_ROUTE.slice(1)}/:n`;
const TTL_MS = 15 * 60_000;

class OpenGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
const GUARD = { provide: APP_GUARD, useClass: OpenGuard };

@Controller()
class UncachedController {
  @Get(ROUTE)
  page(): CataloguePage {
    countHandlerCall();
    return PAGE;
  }
}

@Controller()
class StaticController {
  @Get(ROUTE)
  @Header('Content-Type', 'application/json; charset=utf-8')
  page(): string {
    countHandlerCall();
    return PAGE_JSON;
  }
}

@Controller()
class StaticPagesController {
  @Get(ROUTE)
  @Header('Content-Type', 'application/json; charset=utf-8')
  page(@Param('n') n: string): string {
    countHandlerCall();
    return ownPageText(n);
  }
}

@Controller()
class CachetteController {
  @Get(ROUTE)
  @CachePage('15m')
  page(): CataloguePage {
    countHandlerCall();
    return PAGE;
  }
}

@Controller()
class CacheManagerController {
  @Get(ROUTE)
  @UseInterceptors(CacheInterceptor)
  page(): CataloguePage {
    countHandlerCall();
    return PAGE;
  }
}

@Module({ controllers: [UncachedController], providers: [GUARD] })
class UncachedModule {}

@Module({ controllers: [StaticController], providers: [GUARD] })
class StaticModule {}

@Module({ controllers: [StaticPagesController], providers: [GUARD] })
class StaticPagesModule {}

@Module({ imports: [CachetteModule.forRoot({ cache: benchCache() })], controllers: [CachetteController], providers: [GUARD] })
class CachetteAppModule {}

@Module({ imports: [CacheModule.register({ ttl: TTL_MS })], controllers: [CacheManagerController], providers: [GUARD] })
class CacheManagerModule {}

const MODULES: Record<(typeof NEST_VARIANTS)[number], Type> = {
  uncached: UncachedModule,
  static: StaticModule,
  'static-pages': StaticPagesModule,
  cachette: CachetteAppModule,
  'cache-manager': CacheManagerModule,
};

runServer(async () => {
  const module = MODULES[variantArg(NEST_VARIANTS)];
  const platform = process.argv[3] ?? 'express';
  if (platform !== 'express' && platform !== 'fastify') throw new Error(`unknown platform ${platform}; expected express or fastify`);
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.init();
  if (platform === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<void> }).ready();
  return { server: app.getHttpServer() as Server, close: () => app.close() };
});
