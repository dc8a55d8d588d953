import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cache } from '@cachette/core';
import { CACHETTE_CACHE } from '@cachette/nest';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { shopModule } from '../src/app.module.js';
import { shopCacheOptions } from '../src/cache.js';
import { Catalogue } from '../src/catalogue.js';

interface Page {
  product: { id: string; price: number };
  related: string;
  greeting: string;
}
const json = async (res: Response) => (await res.json()) as Page;

const dirs: string[] = [];
const apps: INestApplication[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.get<Cache>(CACHETTE_CACHE).disconnect();
    await app.close();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(env: { redisUrl?: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'nest-shop-'));
  dirs.push(dir);
  const options = await shopCacheOptions({ sqliteFile: join(dir, 'shop.sqlite'), ...env });
  const app = await NestFactory.create(shopModule(options), { logger: false });
  apps.push(app);
  await app.get<Cache>(CACHETTE_CACHE).clear();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

const setups: Array<[string, { redisUrl?: string }]> = [['memory + SQLite', { redisUrl: undefined }]];
if (process.env.REDIS_URL) setups.push(['memory + Redis', { redisUrl: process.env.REDIS_URL }]);

for (const [name, env] of setups) {
  describe(`nest-shop on ${name}`, () => {
    it('serves a product page from the cache, and a fresh one after a price update', async () => {
      const { app, url } = await start(env);
      const catalogue = app.get(Catalogue);
      const first = await fetch(`${url}/products/1`);
      const body = await json(first);
      expect(body.product).toMatchObject({ id: '1', price: 39 });
      expect(body.related).toContain('Desk lamp');
      const hit = await fetch(`${url}/products/1`);
      expect(hit.headers.get('age')).not.toBeNull();
      expect(catalogue.reads).toBe(1);
      const update = await fetch(`${url}/products/1/price`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ price: 45 }),
      });
      expect(update.status).toBe(201);
      const after = await fetch(`${url}/products/1`);
      expect(after.headers.get('age')).toBeNull();
      expect((await json(after)).product.price).toBe(45);
      expect(catalogue.reads).toBe(2);
    });

    it('keeps one home page per language and never caches stock', async () => {
      const { url } = await start(env);
      const en = await fetch(url, { headers: { 'accept-language': 'en' } });
      const fr = await fetch(url, { headers: { 'accept-language': 'fr' } });
      expect((await json(en)).greeting).toBe('Welcome');
      expect((await json(fr)).greeting).toBe('Bienvenue');
      const enAgain = await fetch(url, { headers: { 'accept-language': 'en' } });
      expect(enAgain.headers.get('age')).not.toBeNull();
      expect((await json(enAgain)).greeting).toBe('Welcome');
      const stock = await fetch(`${url}/stock`);
      expect(stock.headers.get('cache-control')).toContain('no-store');
    });
  });
}
