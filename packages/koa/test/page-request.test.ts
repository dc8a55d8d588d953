import type { PageRequest } from '@cachette/core';
import Router from '@koa/router';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { toPageRequest } from '../src/index.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function seen(path: string, init?: RequestInit): Promise<{ request: PageRequest; port: number }> {
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
  await (await fetch(`${server.url}${path}`, init)).arrayBuffer();
  return { request: request!, port: server.port };
}

describe('toPageRequest (koa)', () => {
  it('maps method, the full original URL, headers, socket and params', async () => {
    const { request, port } = await seen('/shop/items/7?b=2&a=1', { headers: { 'accept-language': 'fr' } });
    expect(request.method).toBe('GET');
    expect(request.url).toBe('/shop/items/7?b=2&a=1');
    expect(request.headers['accept-language']).toBe('fr');
    expect(request.headers.host).toBe(`127.0.0.1:${port}`);
    expect(request.secure).toBe(false);
    expect(request.hasBody).toBe(false);
    expect(request.local).toEqual({ address: '127.0.0.1', port });
    expect(request.params).toEqual({ id: '7' });
  });

  it('sees a body by Content-Length', async () => {
    expect((await seen('/shop/plain', { method: 'POST', body: 'x=1' })).request.hasBody).toBe(true);
    expect((await seen('/shop/plain', { method: 'POST', body: '' })).request.hasBody).toBe(false);
  });
});
