import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { nodePageRequest } from '../../src/node.js';
import type { PageRequest } from '../../src/pages.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** What nodePageRequest makes of a real request to a bare Node server. */
async function seen(path: string, init?: RequestInit, extra?: (req: IncomingMessage) => Parameters<typeof nodePageRequest>[1]) {
  let request: PageRequest | undefined;
  const server = await listen((req, res) => {
    request = nodePageRequest(req, extra?.(req));
    req.resume().on('end', () => res.end());
  });
  close = server.close;
  await (await fetch(`${server.url}${path}`, init)).arrayBuffer();
  return { request: request!, port: server.port };
}

describe('nodePageRequest', () => {
  it('maps method, URL, headers and socket of a bare IncomingMessage', async () => {
    const { request, port } = await seen('/items/7?b=2&a=1', { headers: { 'accept-language': 'fr' } });
    expect(request).toEqual({
      method: 'GET',
      url: '/items/7?b=2&a=1',
      headers: expect.objectContaining({ 'accept-language': 'fr', host: `127.0.0.1:${port}` }),
      secure: false,
      hasBody: false,
      local: { address: '127.0.0.1', port, tls: false },
    });
  });

  it('takes what the framework knows: the original URL and method, flattened params, declared names', async () => {
    const { request } = await seen('/mounted/7', { method: 'POST', body: 'x=1' }, () => ({
      url: '/shop/mounted/7',
      method: 'GET',
      params: { id: 7, path: ['a', 'b.txt'], optional: undefined },
      varyHeaders: ['Accept-Language'],
      varyCookies: [],
    }));
    expect(request.url).toBe('/shop/mounted/7');
    expect(request.method).toBe('GET');
    expect(request.params).toEqual({ id: '7', path: 'a/b.txt' });
    expect(request.varyHeaders).toEqual(['Accept-Language']);
    expect('varyCookies' in request).toBe(false);
  });

  it('sees a body by Content-Length or Transfer-Encoding', async () => {
    expect((await seen('/', { method: 'POST', body: 'x=1' })).request.hasBody).toBe(true);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunked'));
        controller.close();
      },
    });
    const chunked = await seen('/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.request.hasBody).toBe(true);
    expect((await seen('/', { method: 'POST', body: '' })).request.hasBody).toBe(false);
  });
});
