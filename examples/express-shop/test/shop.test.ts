import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCache } from '@cachette/core';
import { Catalogue, createShopCache } from '@cachette/example-shop-kit';
import { send } from '@cachette/example-shop-kit/http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { runDemo } from '../src/run-demo.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function start() {
  const catalogue = new Catalogue(5);
  const cache = createCache();
  const server = createApp(cache, catalogue).listen(0, '127.0.0.1');
  await once(server, 'listening');
  stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, catalogue };
}

describe('express-shop', () => {
  it('caches product pages and drops them by tag when a product changes', async () => {
    const { base, catalogue } = await start();
    expect(JSON.parse((await send(`${base}/products/1`)).text)).toMatchObject({ name: 'Desk lamp', price: 39 });
    const hit = await send(`${base}/products/1`);
    expect(hit.headers.age).toBeDefined();
    expect(catalogue.reads).toBe(1);
    const update = await send(`${base}/products/1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ price: 35 }),
    });
    expect(update.status).toBe(200);
    const fresh = await send(`${base}/products/1`);
    expect(JSON.parse(fresh.text).price).toBe(35);
    expect(fresh.headers.age).toBeUndefined();
    expect((await send(`${base}/products/99`)).status).toBe(404);
  });

  it('varies /ua on Accept-Language and /me on the session cookie; /live is never cached', async () => {
    const { base } = await start();
    expect((await send(`${base}/ua`, { headers: { 'accept-language': 'fr' } })).text).toBe('Bienvenue dans la boutique');
    const en = await send(`${base}/ua`, { headers: { 'accept-language': 'en' } });
    expect(en.text).toBe('Welcome to the shop');
    expect(en.headers.vary).toMatch(/Accept-Language/);
    expect((await send(`${base}/me`, { headers: { cookie: 'session=abc' } })).text).toBe('Signed in with session abc');
    const other = await send(`${base}/me`, { headers: { cookie: 'session=xyz' } });
    expect(other.text).toBe('Signed in with session xyz');
    expect(other.headers.vary).toMatch(/Cookie/);
    const live = await send(`${base}/live`);
    expect(live.headers['cache-control']).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
  });
});

describe('express-shop demo, on the embedded default (memory + a real SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'express-shop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows a miss, a hit with Age, a Vary variant and a 304', async () => {
    const { cache, shared } = await createShopCache({ sqliteFile: join(dir, 'shop.sqlite'), redisUrl: undefined });
    expect(shared).toMatch(/^SQLite/);
    try {
      const steps = await runDemo(cache);
      expect(steps.map((s) => [s.step, s.status])).toEqual([
        ['miss', 200],
        ['hit', 200],
        ['miss', 200],
        ['variant', 200],
        ['hit', 200],
        ['304', 304],
      ]);
      expect(steps[0]?.headers.age).toBeUndefined();
      expect(steps[1]?.headers.age).toMatch(/^\d+$/);
      expect(steps[3]?.headers['cache-status']).toMatch(/fwd=vary-miss/);
      expect(steps[5]?.headers['cache-status']).toMatch(/hit/);
      // a second run over the same file starts clean again
      expect((await runDemo(cache))[0]?.headers.age).toBeUndefined();
    } finally {
      await cache.disconnect();
    }
  });
});
