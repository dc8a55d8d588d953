import 'reflect-metadata';
import type { ServerResponse } from 'node:http';
import {
  type CallHandler,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestInterceptor,
  type NestMiddleware,
  type NestModule,
  type Type,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CachePage, CachePageInterceptor, CachetteModule, NeverCache } from '../src/index.js';

let calls = 0;
/** The status each response had once it finished, as a logging middleware sees it. */
const finished: number[] = [];

@Controller()
class PageController {
  @Get('page')
  @CachePage('1m')
  page() {
    calls++;
    return { calls };
  }
}

@Injectable()
class FinishLog implements NestMiddleware {
  use(_req: unknown, res: ServerResponse, next: () => void) {
    res.on('finish', () => finished.push(res.statusCode));
    next();
  }
}

@Module({ imports: [CachetteModule.forRoot()], controllers: [PageController] })
class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(FinishLog).forRoutes('*');
  }
}

const apps: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  calls = 0;
  finished.length = 0;
});

for (const platform of ['express', 'fastify'] as const) {
  describe(`a hit written straight to the response on platform-${platform} (issue 7)`, () => {
    it('sends the page once, with nothing after it: no warning logged, the status left as sent', async () => {
      const logged: unknown[] = [];
      const logger = { log: () => undefined, error: (m: unknown) => logged.push(m), warn: (m: unknown) => logged.push(m) };
      const warnings: unknown[] = [];
      const adapter =
        platform === 'express'
          ? new ExpressAdapter()
          : new FastifyAdapter({
              logger: {
                level: 'warn',
                stream: { write: (line: string) => warnings.push(line) },
              },
            });
      const app = await NestFactory.create(AppModule, adapter, { logger });
      apps.push(app);
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as { port: number };
      const url = `http://127.0.0.1:${port}/page`;
      const first = await fetch(url);
      const bodies = [await first.json()];
      for (let i = 0; i < 3; i++) {
        const hit = await fetch(url);
        expect(hit.status).toBe(200);
        expect(hit.headers.get('age')).not.toBeNull();
        bodies.push(await hit.json());
      }
      expect(bodies).toEqual([{ calls: 1 }, { calls: 1 }, { calls: 1 }, { calls: 1 }]);
      expect(calls).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(finished).toEqual([200, 200, 200, 200]);
      expect(warnings).toEqual([]);
      expect(logged).toEqual([]);
    });
  });
}

let allowed = true;
let intercepted = 0;

@Injectable()
class Gate implements CanActivate {
  canActivate(): boolean {
    return allowed;
  }
}

@Injectable()
class SlowGate implements CanActivate {
  async canActivate(): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    return allowed;
  }
}

/** An interceptor of the app, as a logging or metrics one would be. */
@Injectable()
class Counting implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    intercepted++;
    return next.handle();
  }
}

@Controller('guarded')
class GuardedController {
  @Get('below')
  @CachePage('1m')
  @UseGuards(Gate)
  below() {
    calls++;
    return { calls };
  }

  @Get('above')
  @UseGuards(Gate)
  @CachePage('1m')
  above() {
    calls++;
    return { calls };
  }

  @Get('async')
  @UseGuards(SlowGate)
  @CachePage('1m')
  slow() {
    calls++;
    return { calls };
  }

  @Get('wrapped')
  @CachePage('1m')
  @UseInterceptors(Counting)
  wrapped() {
    calls++;
    return { calls };
  }

  @Get('inner')
  @UseInterceptors(Counting)
  @CachePage('1m')
  inner() {
    calls++;
    return { calls };
  }
}

@Controller('on-class')
@CachePage('1m')
class CachedController {
  @Get()
  @UseGuards(Gate)
  page() {
    calls++;
    return { calls };
  }

  @Get('live')
  @NeverCache()
  live() {
    calls++;
    return { calls };
  }
}

@Controller('base')
class BaseController {
  @Get('page')
  @CachePage('1m')
  page() {
    calls++;
    return { calls };
  }
}

/** The same handler (inherited) under another controller, which an interceptor of the app wraps. */
@Controller('counted')
@UseInterceptors(Counting)
class CountedController extends BaseController {}

@Module({ imports: [CachetteModule.forRoot()], controllers: [GuardedController, CachedController], providers: [Gate, SlowGate] })
class GuardedModule {}

@Module({ imports: [CachetteModule.forRoot()], controllers: [BaseController, CountedController] })
class InheritedModule {}

@Module({
  imports: [CachetteModule.forRoot()],
  controllers: [PageController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: Counting }],
})
class GloballyInterceptedModule {}

async function listen(module: Type, platform: 'express' | 'fastify'): Promise<string> {
  const app = await NestFactory.create(module, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

afterEach(() => {
  allowed = true;
  intercepted = 0;
  vi.restoreAllMocks();
});

for (const platform of ['express', 'fastify'] as const) {
  describe(`a hit sent after the guards, before Nest's interceptors, on platform-${platform} (issue 7)`, () => {
    for (const path of ['below', 'above', 'async']) {
      it(`a guard that denies still denies a stored page (@UseGuards ${path === 'below' ? 'below' : 'above'} @CachePage${path === 'async' ? ', an async guard' : ''})`, async () => {
        const url = `${await listen(GuardedModule, platform)}/guarded/${path}`;
        const intercept = vi.spyOn(CachePageInterceptor.prototype, 'intercept');
        expect((await fetch(url)).status).toBe(200);
        const hit = await fetch(url);
        expect(hit.headers.get('age')).not.toBeNull();
        // the hit went no further than the guards: the page interceptor ran for the miss only
        expect(intercept).toHaveBeenCalledTimes(1);
        allowed = false;
        const denied = await fetch(url);
        expect(denied.status).toBe(403);
        expect(denied.headers.get('age')).toBeNull();
        allowed = true;
        expect(await (await fetch(url)).json()).toEqual({ calls: 1 });
        expect(calls).toBe(1);
      });
    }

    it('a guard on the handler still denies when @CachePage is on the controller', async () => {
      const url = `${await listen(GuardedModule, platform)}/on-class`;
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url)).headers.get('age')).not.toBeNull();
      allowed = false;
      expect((await fetch(url)).status).toBe(403);
      expect(calls).toBe(1);
    });

    it('an interceptor listed after @CachePage (written above it) runs only when the handler runs, as before', async () => {
      const url = `${await listen(GuardedModule, platform)}/guarded/inner`;
      for (let i = 0; i < 3; i++) expect(await (await fetch(url)).json()).toEqual({ calls: 1 });
      expect(intercepted).toBe(1);
    });

    it('@NeverCache on a handler of a @CachePage controller is never answered from the cache', async () => {
      const url = `${await listen(GuardedModule, platform)}/on-class/live`;
      const bodies = [await (await fetch(url)).json(), await (await fetch(url)).json()];
      expect(bodies).toEqual([{ calls: 1 }, { calls: 2 }]);
    });

    it("an interceptor of the app around the route still runs on every hit (the route's)", async () => {
      const url = `${await listen(GuardedModule, platform)}/guarded/wrapped`;
      for (let i = 0; i < 3; i++) expect(await (await fetch(url)).json()).toEqual({ calls: 1 });
      expect(calls).toBe(1);
      expect(intercepted).toBe(3);
    });

    it('an inherited handler keeps the interceptor of the controller it is served under, whichever was asked first', async () => {
      const origin = await listen(InheritedModule, platform);
      for (let i = 0; i < 2; i++) expect((await fetch(`${origin}/base/page`)).status).toBe(200);
      expect(intercepted).toBe(0);
      for (let i = 0; i < 3; i++) expect(await (await fetch(`${origin}/counted/page`)).json()).toEqual({ calls: 2 });
      expect(intercepted).toBe(3);
    });

    it('an interceptor of the app around the route still runs on every hit (global)', async () => {
      const url = `${await listen(GloballyInterceptedModule, platform)}/page`;
      for (let i = 0; i < 3; i++) expect(await (await fetch(url)).json()).toEqual({ calls: 1 });
      const hit = await fetch(url, { method: 'HEAD' });
      expect(hit.headers.get('age')).not.toBeNull();
      expect(calls).toBe(1);
      expect(intercepted).toBe(4);
    });
  });
}
