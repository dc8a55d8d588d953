import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCache } from '@cachette/core';
import { Catalogue, createShopCache } from '@cachette/example-shop-kit';
import { send } from '@cachette/example-shop-kit/http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

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

describe('koa-shop', () => {
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

describe('koa-shop on the embedded default (memory + a real SQLite file)', () => {
  it('serves a product from the SQLite tier once memory forgot it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koa-shop-'));
    const first = await createShopCache({ sqliteFile: join(dir, 'shop.sqlite'), redisUrl: undefined });
    const catalogue = new Catalogue(5);
    try {
      const server = createApp(first.cache, catalogue).listen(0, '127.0.0.1');
      await once(server, 'listening');
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // one Host for both servers: the host (and its port) is part of a page's key
      const host = { host: 'shop.test' };
      await send(`${base}/products/2`, { headers: host });
      // the page (and its Vary list) is written once its headers have gone out, after the client has it
      await until(() => first.cache.stats().sets >= 2);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await first.cache.disconnect();

      // a new process: empty memory, the same file
      const second = await createShopCache({ sqliteFile: join(dir, 'shop.sqlite'), redisUrl: undefined });
      const again = createApp(second.cache, catalogue).listen(0, '127.0.0.1');
      await once(again, 'listening');
      const hit = await send(`http://127.0.0.1:${(again.address() as AddressInfo).port}/products/2`, { headers: host });
      expect(hit.headers.age).toBeDefined();
      expect(JSON.parse(hit.text).name).toBe('Reading chair');
      expect(catalogue.reads).toBe(1);
      again.closeAllConnections();
      await new Promise((resolve) => again.close(resolve));
      await second.cache.disconnect();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Polls for work the server finishes after answering (writing the page to SQLite). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the page was not stored in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
