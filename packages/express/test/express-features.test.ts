import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCache } from '@cachette/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { cachePage, cachette, neverCache, varyOnHeaders } from '../src/index.js';
import { listen } from './support.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function start(app: express.Express) {
  const server = await listen(app.listen(0, '127.0.0.1'));
  cleanup.push(server.close);
  return server.url;
}

describe('express specifics', () => {
  it('caches res.sendFile (a piped stream)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachette-express-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'page.html');
    await writeFile(file, '<h1>from disk</h1>');
    let calls = 0;
    const app = express();
    app.get('/page', cachePage('1m', { cache: createCache() }), (_req, res) => {
      calls++;
      // send's default `max-age=0` would (rightly, as Django) keep the page out of the cache
      res.sendFile(file, { maxAge: '1h' });
    });
    const url = await start(app);
    const miss = await fetch(`${url}/page`);
    expect(await miss.text()).toBe('<h1>from disk</h1>');
    const hit = await fetch(`${url}/page`);
    expect(await hit.text()).toBe('<h1>from disk</h1>');
    expect(hit.headers.get('age')).not.toBeNull();
    expect(hit.headers.get('content-type')).toMatch(/text\/html/);
    expect(calls).toBe(1);
  });

  it('a site-wide cachette() and a route cachePage nest', async () => {
    let calls = 0;
    const app = express();
    app.use(cachette({ cache: createCache(), ttl: '1m' }));
    app.get('/both', cachePage('30s', { cache: createCache() }), (_req, res) => {
      calls++;
      res.send(`call ${calls}`);
    });
    const url = await start(app);
    expect(await (await fetch(`${url}/both`)).text()).toBe('call 1');
    const hit = await fetch(`${url}/both`);
    expect(await hit.text()).toBe('call 1');
    expect(hit.headers.get('age')).not.toBeNull();
    expect(calls).toBe(1);
  });

  it('varyOnHeaders after cachePage still varies: the core learns the Vary it set', async () => {
    let calls = 0;
    const app = express();
    app.get('/late', cachePage('1m', { cache: createCache() }), varyOnHeaders('X-Device'), (req, res) => {
      calls++;
      res.send(`${req.get('x-device')} ${calls}`);
    });
    const url = await start(app);
    const get = async (device: string) => (await fetch(`${url}/late`, { headers: { 'x-device': device } })).text();
    expect(await get('phone')).toBe('phone 1');
    expect(await get('phone')).toBe('phone 1');
    expect(await get('desktop')).toBe('desktop 2');
    expect(await get('phone')).toBe('phone 1');
  });

  it('a hit replays the stored headers, and keeps others set for this request', async () => {
    const app = express();
    let id = 0;
    app.use((_req, res, next) => {
      id++;
      // stored with the page: it belongs to the stored body (think of a CSP nonce)
      res.setHeader('x-render-id', String(id));
      next();
    });
    app.get(
      '/page',
      (_req, res, next) => {
        if (id > 1) res.setHeader('x-only-now', 'yes');
        next();
      },
      cachePage('1m', { cache: createCache() }),
      (_req, res) => {
        res.send('page');
      },
    );
    const url = await start(app);
    await fetch(`${url}/page`);
    const hit = await fetch(`${url}/page`);
    expect(hit.headers.get('age')).not.toBeNull();
    expect(hit.headers.get('x-render-id')).toBe('1');
    expect(hit.headers.get('x-only-now')).toBe('yes');
  });

  it('one URL reached with different varyOnHeaders renders once for concurrent requests', async () => {
    let calls = 0;
    const app = express();
    const byHeader = { a: varyOnHeaders('X-A'), b: varyOnHeaders('X-B', 'X-A') };
    app.get(
      '/page',
      (req, res, next) => byHeader[req.get('x-route') === 'b' ? 'b' : 'a'](req, res, next),
      cachePage('1m', { cache: createCache() }),
      async (_req, res) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        res.send(`render ${calls}`);
      },
    );
    const url = await start(app);
    const texts = await Promise.all(
      ['a', 'b', 'a', 'b'].map(async (route) => (await fetch(`${url}/page`, { headers: { 'x-route': route } })).text()),
    );
    expect(texts).toEqual(Array(4).fill('render 1'));
    expect(calls).toBe(1);
  });

  it('a neverCache route streaming events under site-wide caching does not hold others back', async () => {
    const streams = { open: 0, most: 0 };
    const app = express();
    app.use(cachette({ cache: createCache(), ttl: '1m', lockTimeout: '10s' }));
    app.get('/events', neverCache(), async (_req, res) => {
      streams.most = Math.max(streams.most, ++streams.open);
      res.setHeader('content-type', 'text/event-stream');
      res.flushHeaders();
      res.write('data: 1\n\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      streams.open--;
      res.end('data: 2\n\n');
    });
    const url = await start(app);
    const texts = await Promise.all([1, 2].map(async () => (await fetch(`${url}/events`)).text()));
    expect(texts).toEqual(['data: 1\n\ndata: 2\n\n', 'data: 1\n\ndata: 2\n\n']);
    // the second stream did not wait for the first to end (the render lock was released on abandon)
    expect(streams.most).toBe(2);
  });
});
