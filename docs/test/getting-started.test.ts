import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { app as expressApp, cache as expressCache } from '../snippets/express/app.js';
import { app as koaApp, cache as koaCache } from '../snippets/koa/app.js';
import { server as nodeServer, products } from '../snippets/node/app.js';
import { cache as nodeCache } from '../snippets/node/products.js';
import { missHitNotModified } from './http.js';

/**
 * The getting-started pages include these snippets (docs/snippets/**) as they are: each one, served
 * over real HTTP, answers a first request by rendering (miss), the second from the cache (hit), and a
 * conditional third with 304.
 */

describe('getting started, as the pages show it', () => {
  it('Express: miss, hit, 304', async () => {
    await missHitNotModified(createServer(expressApp), expressCache);
  });

  it('Koa: miss, hit, 304', async () => {
    await missHitNotModified(createServer(koaApp.callback()), koaCache);
  });

  it('node:http with @Cacheable: miss, hit, 304, and the service loads once', async () => {
    await missHitNotModified(nodeServer, nodeCache);
    expect(products.loads).toBe(1);
  });
});
