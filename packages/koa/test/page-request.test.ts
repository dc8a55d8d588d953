import type { PageRequest } from '@cachette/core/pages';
import Router from '@koa/router';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { toPageRequest, varyOnCookies, varyOnHeaders } from '../src/index.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function seen(path: string): Promise<{ request: PageRequest }> {
  const app = new Koa();
  const router = new Router({ prefix: '/shop' });
  let request: PageRequest | undefined;
  const record = (ctx: Koa.Context) => {
    request = toPageRequest(ctx);
    ctx.body = '';
  };
  router.all('/items/:id', record);
  router.all('/plain', record);
  app.use(router.routes());
  const server = await listen(app);
  close = server.close;
  await (await fetch(`${server.url}${path}`)).arrayBuffer();
  return { request: request! };
}

describe('toPageRequest (koa)', () => {
  it('gives the core the full original URL under a mount prefix, and the route params', async () => {
    const { request } = await seen('/shop/items/7?b=2&a=1');
    // headers, socket and body framing are nodePageRequest's, tested in core
    expect(request).toMatchObject({ method: 'GET', url: '/shop/items/7?b=2&a=1', params: { id: '7' } });
  });

  it('carries the names varyOnHeaders / varyOnCookies declared', async () => {
    const app = new Koa();
    let request: PageRequest | undefined;
    app.use(varyOnHeaders('Accept-Language'));
    app.use(varyOnCookies('lang'));
    app.use((ctx) => {
      request = toPageRequest(ctx);
      ctx.body = '';
    });
    const server = await listen(app);
    close = server.close;
    await (await fetch(server.url)).arrayBuffer();
    expect(request?.varyHeaders).toEqual(['Accept-Language']);
    expect(request?.varyCookies).toEqual(['lang']);
    expect(request?.params).toBeUndefined();
  });
});
