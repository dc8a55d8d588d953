/**
 * NestJS 11 (platform-express) server of the page bench, one variant per process (`argv[2]`):
 * - `uncached`: a controller method returning the page object (Nest serializes it per request)
 * - `cachette`: the same method with `@CachePage('15m')`, `CachetteModule.forRoot()`
 * - `cache-manager`: the same method with `@UseInterceptors(CacheInterceptor)`,
 *   `CacheModule.register({ ttl: 15 min })` (@nestjs/cache-manager on cache-manager 7)
 *
 * The controllers take no constructor arguments: tsx (esbuild) emits no decorator metadata, and
 * everything injected here is injected by token (`@Inject`) in the libraries' own builds.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import { CachePage, CachetteModule } from '@cachette/nest';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, Module, type Type, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CataloguePage, PAGE, PAGE_PATH } from './body.js';
import { countHandlerCall, runServer, variantArg } from './child.js';

const NEST_VARIANTS = ['uncached', 'cachette', 'cache-manager'] as const;
const TTL_MS = 15 * 60_000;

@Controller()
class UncachedController {
  @Get(PAGE_PATH)
  page(): CataloguePage {
    countHandlerCall();
    return PAGE;
  }
}

@Controller()
class CachetteController {
  @Get(PAGE_PATH)
  @CachePage('15m')
  page(): CataloguePage {
    countHandlerCall();
    return PAGE;
  }
}

@Controller()
class CacheManagerController {
  @Get(PAGE_PATH)
  @UseInterceptors(CacheInterceptor)
  page(): CataloguePage {
    countHandlerCall();
    return PAGE;
  }
}

@Module({ controllers: [UncachedController] })
class UncachedModule {}

@Module({ imports: [CachetteModule.forRoot()], controllers: [CachetteController] })
class CachetteAppModule {}

@Module({ imports: [CacheModule.register({ ttl: TTL_MS })], controllers: [CacheManagerController] })
class CacheManagerModule {}

const MODULES: Record<(typeof NEST_VARIANTS)[number], Type> = {
  uncached: UncachedModule,
  cachette: CachetteAppModule,
  'cache-manager': CacheManagerModule,
};

runServer(async () => {
  const app = await NestFactory.create(MODULES[variantArg(NEST_VARIANTS)], { logger: false });
  await app.init();
  return { server: app.getHttpServer() as Server, close: () => app.close() };
});
