import type { PageRequest } from '@cachette/core/pages';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { toPageRequest, varyOnCookies, varyOnHeaders } from '../src/index.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function seen(path: string): Promise<{ request: PageRequest }> {
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
  await (await fetch(`${server.url}${path}`)).arrayBuffer();
  return { request: request! };
}

describe('toPageRequest (express)', () => {
  it('gives the core the full original URL under a mount prefix, and the route params', async () => {
    const { request } = await seen('/shop/items/7?b=2&a=1');
    // headers, socket and body framing are nodePageRequest's, tested in core
    expect(request).toMatchObject({ method: 'GET', url: '/shop/items/7?b=2&a=1', params: { id: '7' } });
  });

  it('joins wildcard segments', async () => {
    const { request } = await seen('/shop/files/a/b.txt');
    expect(request.params).toEqual({ path: 'a/b.txt' });
  });

  it('carries the names varyOnHeaders / varyOnCookies declared, and the method that came over the wire', async () => {
    const app = express();
    let request: PageRequest | undefined;
    app.use((req, _res, next) => {
      // what method-override does
      (req as { originalMethod?: string }).originalMethod = req.method;
      req.method = 'GET';
      next();
    });
    app.all('/page', varyOnHeaders('Accept-Language'), varyOnCookies('lang'), (req, res) => {
      request = toPageRequest(req);
      res.end();
    });
    const server = await listen(app.listen(0, '127.0.0.1'));
    close = server.close;
    await (await fetch(`${server.url}/page`, { method: 'POST', body: 'x=1' })).arrayBuffer();
    expect(request?.method).toBe('POST');
    expect(request?.hasBody).toBe(true);
    expect(request?.varyHeaders).toEqual(['Accept-Language']);
    expect(request?.varyCookies).toEqual(['lang']);
  });
});
