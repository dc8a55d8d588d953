import { Readable } from 'node:stream';
import { createCache } from '@cachette/core';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { cachePage } from '../src/index.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** One cached route answering `handler`; returns a getter and the call count. */
async function route(handler: (ctx: Koa.Context) => void | Promise<void>, options = {}) {
  const app = new Koa();
  app.silent = true;
  const state = { calls: 0 };
  app.use(cachePage('1m', { cache: createCache(), ...options }));
  app.use(async (ctx) => {
    state.calls++;
    await handler(ctx);
  });
  const server = await listen(app);
  close = server.close;
  return { get: () => fetch(server.url), state };
}

describe('koa bodies, as Koa would send them', () => {
  it('an object is stored as Koa’s JSON', async () => {
    const { get, state } = await route((ctx) => {
      ctx.body = { id: 1, name: 'Lamp' };
    });
    const miss = await get();
    expect(await miss.text()).toBe('{"id":1,"name":"Lamp"}');
    const hit = await get();
    expect(hit.headers.get('age')).not.toBeNull();
    expect(hit.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await hit.json()).toEqual({ id: 1, name: 'Lamp' });
    expect(state.calls).toBe(1);
  });

  it('a Buffer keeps its bytes and type', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const { get } = await route((ctx) => {
      ctx.body = bytes;
    });
    await get();
    const hit = await get();
    expect(Buffer.from(await hit.arrayBuffer()).equals(bytes)).toBe(true);
    expect(hit.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('no body: Koa’s status text, stored when the status is configured', async () => {
    const { get, state } = await route(
      (ctx) => {
        ctx.status = 404;
      },
      { statuses: { 200: '1m', 404: '1m' } },
    );
    const miss = await get();
    expect(miss.status).toBe(404);
    expect(await miss.text()).toBe('Not Found');
    const hit = await get();
    expect(hit.status).toBe(404);
    expect(await hit.text()).toBe('Not Found');
    expect(hit.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(state.calls).toBe(1);
  });

  it('web ReadableStream and Blob bodies are read and stored', async () => {
    const web = await route((ctx) => {
      ctx.type = 'text/plain';
      ctx.body = new Blob(['web ', 'stream']).stream();
    });
    expect(await (await web.get()).text()).toBe('web stream');
    expect(await (await web.get()).text()).toBe('web stream');
    expect(web.state.calls).toBe(1);
    await close?.();

    const blob = await route((ctx) => {
      ctx.body = new Blob(['<p>blob</p>'], { type: 'text/html' });
    });
    await blob.get();
    const hit = await blob.get();
    expect(await hit.text()).toBe('<p>blob</p>');
    expect(hit.headers.get('content-type')).toMatch(/^text\/html/);
    expect(blob.state.calls).toBe(1);
  });

  it('a stream past maxBodyBytes keeps its Content-Length and arrives whole', async () => {
    const chunks = [Buffer.alloc(40, 1), Buffer.alloc(40, 2), Buffer.alloc(40, 3)];
    const { get, state } = await route(
      (ctx) => {
        ctx.length = 120;
        ctx.body = Readable.from(chunks);
      },
      { maxBodyBytes: 50 },
    );
    const response = await get();
    expect(response.headers.get('content-length')).toBe('120');
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.concat(chunks))).toBe(true);
    await get();
    expect(state.calls).toBe(2);
  });

  it('a stream that fails while read is the handler failing: a 500, nothing stored', async () => {
    const { get, state } = await route((ctx) => {
      ctx.body = new Readable({
        read() {
          this.destroy(new Error('disk gone'));
        },
      });
    });
    expect((await get()).status).toBe(500);
    expect((await get()).status).toBe(500);
    expect(state.calls).toBe(2);
  });

  it('ctx.respond = false: the handler owns the response, nothing is captured', async () => {
    const { get, state } = await route((ctx) => {
      ctx.respond = false;
      ctx.res.setHeader('content-type', 'text/plain');
      ctx.res.end('raw');
    });
    expect(await (await get()).text()).toBe('raw');
    expect(await (await get()).text()).toBe('raw');
    expect(state.calls).toBe(2);
  });
});
