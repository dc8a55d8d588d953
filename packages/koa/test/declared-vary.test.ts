import { createCache } from '@cachette/core';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { cachePage, varyOnHeaders } from '../src/index.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('koa: names declared per request', () => {
  it('one URL reached with different varyOnHeaders renders once for concurrent requests', async () => {
    let calls = 0;
    const app = new Koa();
    const byHeader = { a: varyOnHeaders('X-A'), b: varyOnHeaders('X-B', 'X-A') };
    app.use((ctx, next) => byHeader[ctx.get('x-route') === 'b' ? 'b' : 'a'](ctx, next));
    app.use(cachePage('1m', { cache: createCache() }));
    app.use(async (ctx) => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      ctx.body = `render ${calls}`;
    });
    const server = await listen(app);
    close = server.close;
    const texts = await Promise.all(
      ['a', 'b', 'a', 'b'].map(async (route) => (await fetch(server.url, { headers: { 'x-route': route } })).text()),
    );
    expect(texts).toEqual(Array(4).fill('render 1'));
    expect(calls).toBe(1);
  });
});
