import 'reflect-metadata';
import type { ServerResponse } from 'node:http';
import { Controller, Get, Injectable, type MiddlewareConsumer, Module, type NestMiddleware, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { CachePage, CachetteModule } from '../src/index.js';

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
