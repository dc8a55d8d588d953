import 'reflect-metadata';
import type { Server } from 'node:http';
import type { Cache } from '@cachette/core';
import { CACHETTE_CACHE } from '@cachette/nest';
import { NestFactory } from '@nestjs/core';
import { describe, it } from 'vitest';
import { AppModule } from '../snippets/nest/app.module.js';
import { missHitNotModified } from './http.js';

// in a file of its own: CachetteModule sets the decorators' default cache, and unsets it on close
describe('getting started with NestJS, as the page shows it', () => {
  it('miss, hit, 304', async () => {
    const app = await NestFactory.create(AppModule, { logger: false });
    await app.init();
    try {
      await missHitNotModified(app.getHttpServer() as Server, app.get<Cache>(CACHETTE_CACHE));
    } finally {
      await app.close();
    }
  });
});
