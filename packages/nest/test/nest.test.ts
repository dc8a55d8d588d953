import 'reflect-metadata';
import { type Cache, createCache, manualClock } from '@cachette/core';
import { type CanActivate, Controller, Get, Header, HttpCode, Injectable, Module, Param, Post, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHETTE_CACHE, Cacheable, CacheEvict, CachePage, CacheTags, CachetteModule, InjectCache, NeverCache } from '../src/index.js';

let calls = 0;
let allowed = true;

@Injectable()
class Gate implements CanActivate {
  canActivate(): boolean {
    return allowed;
  }
}

@Injectable()
class ProductsService {
  loads = 0;
  constructor(@InjectCache() readonly cache: Cache) {}

  @Cacheable({ key: (id: string) => `product:${id}`, tags: (id: string) => [`product:${id}`] })
  async load(id: string) {
    this.loads++;
    return { id, name: `Product ${id}`, version: this.loads };
  }

  @CacheEvict({ tags: (id: string) => [`product:${id}`] })
  async update(id: string) {
    return id;
  }
}

@Controller('products')
class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get('teapot')
  @CachePage('1m', { statuses: { 203: '1m' } })
  @HttpCode(203)
  @Header('X-Brewed', 'yes')
  teapot() {
    calls++;
    return { brewed: calls };
  }

  @Get('private')
  @CachePage('1m')
  @UseGuards(Gate)
  secret() {
    calls++;
    return 'secret';
  }

  @Get('live')
  @NeverCache()
  live() {
    return 'live';
  }

  @Get(':id')
  @CachePage('1m')
  @CacheTags((req) => [`product:${req.params?.id}`])
  find(@Param('id') id: string) {
    calls++;
    return this.products.load(id);
  }

  @Post(':id')
  update(@Param('id') id: string) {
    return this.products.update(id);
  }
}

@Module({
  imports: [CachetteModule.forRoot({ clock: manualClock() })],
  controllers: [ProductsController],
  providers: [ProductsService, Gate],
})
class AppModule {}

const apps: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  calls = 0;
  allowed = true;
});

async function start(platform: 'express' | 'fastify') {
  const app = await NestFactory.create(AppModule, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

for (const platform of ['express', 'fastify'] as const) {
  describe(`@cachette/nest on platform-${platform}`, () => {
    it('caches what the client receives: @HttpCode status, @Header headers, the serialized body', async () => {
      const { url } = await start(platform);
      const first = await fetch(`${url}/products/teapot`);
      const second = await fetch(`${url}/products/teapot`);
      expect([first.status, second.status]).toEqual([203, 203]);
      expect(second.headers.get('x-brewed')).toBe('yes');
      expect(second.headers.get('age')).not.toBeNull();
      expect(await second.json()).toEqual(await first.json());
      expect(calls).toBe(1);
    });

    it('a guard that rejects still rejects on a cached route', async () => {
      const { url } = await start(platform);
      expect((await fetch(`${url}/products/private`)).status).toBe(200);
      allowed = false;
      expect((await fetch(`${url}/products/private`)).status).toBe(403);
      expect(calls).toBe(1);
    });

    it('@NeverCache sends Django never_cache headers', async () => {
      const { url } = await start(platform);
      const res = await fetch(`${url}/products/live`);
      expect(res.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
    });

    it('@Cacheable services, @CacheTags pages and @CacheEvict on update share the module cache', async () => {
      const { app, url } = await start(platform);
      const a = await (await fetch(`${url}/products/7`)).json();
      const b = await (await fetch(`${url}/products/7`)).json();
      expect(b).toEqual(a);
      expect(calls).toBe(1);
      expect((await fetch(`${url}/products/7`, { method: 'POST' })).status).toBe(201);
      const c = await (await fetch(`${url}/products/7`)).json();
      expect(c).toMatchObject({ id: '7', version: 2 });
      expect(calls).toBe(2);
      expect(app.get(CACHETTE_CACHE)).toBe(app.get(ProductsService).cache);
    });
  });
}

describe('misuse is caught at start-up', () => {
  it('@CachePage on a POST handler', async () => {
    @Controller()
    class Wrong {
      @Post('x')
      @CachePage('1m')
      make() {
        return 1;
      }
    }
    @Module({ imports: [CachetteModule.forRoot()], controllers: [Wrong] })
    class WrongModule {}
    const app = await NestFactory.create(WrongModule, new ExpressAdapter(), { logger: false, abortOnError: false });
    await expect(app.init()).rejects.toThrow(/@CachePage on Wrong\.make, a POST handler/);
    await app.close();
  });

  it('@CachePage without CachetteModule', async () => {
    @Controller()
    class Orphan {
      @Get('x')
      @CachePage('1m')
      get() {
        return 1;
      }
    }
    @Module({ controllers: [Orphan] })
    class OrphanModule {}
    await expect(NestFactory.create(OrphanModule, new ExpressAdapter(), { logger: false, abortOnError: false })).rejects.toThrow(
      /add CachetteModule\.forRoot/,
    );
  });

  it('a bad ttl throws where the decorator is written', () => {
    expect(() => CachePage('soon')).toThrow(expect.objectContaining({ code: 'E_INVALID_DURATION' }));
  });
});

describe('CachetteModule.forRootAsync', () => {
  it('builds the cache from a factory with injections', async () => {
    const made = createCache({ namespace: 'async' });
    @Module({ providers: [{ provide: 'CONFIG', useValue: { ns: 'async' } }], exports: ['CONFIG'] })
    class ConfigModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [CachetteModule.forRootAsync({ imports: [ConfigModule], inject: ['CONFIG'], useFactory: () => ({ cache: made }) })],
    }).compile();
    expect(moduleRef.get(CACHETTE_CACHE)).toBe(made);
    await moduleRef.close();
  });
});
