import type { PageRequest } from '@cachette/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { toPageRequest } from '../src/index.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function seen(path: string, init?: RequestInit): Promise<{ request: PageRequest; port: number }> {
  const app = express();
  const router = express.Router();
  let request: PageRequest | undefined;
  router.all(['/items/:id', '/files/*path', '/plain'], (req, res) => {
    request = toPageRequest(req);
    res.end();
  });
  app.use('/shop', router);
  const server = await listen(app.listen(0, '127.0.0.1'));
  close = server.close;
  await (await fetch(`${server.url}${path}`, init)).arrayBuffer();
  return { request: request!, port: server.port };
}

describe('toPageRequest (express)', () => {
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

  it('joins wildcard segments', async () => {
    const { request } = await seen('/shop/files/a/b.txt');
    expect(request.params).toEqual({ path: 'a/b.txt' });
  });

  it('sees a body by Content-Length or Transfer-Encoding', async () => {
    expect((await seen('/shop/plain', { method: 'POST', body: 'x=1' })).request.hasBody).toBe(true);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunked'));
        controller.close();
      },
    });
    const chunked = await seen('/shop/plain', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.request.hasBody).toBe(true);
    expect((await seen('/shop/plain', { method: 'POST', body: '' })).request.hasBody).toBe(false);
  });
});
