import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCache } from '@cachette/core';
import { send } from '@cachette/example-shop-kit/http';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxyApp } from '../src/app.js';
import { endToEnd } from '../src/forward.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A tiny origin: counts requests, remembers the last one's headers and body, answers fresh for a minute. */
async function startOrigin() {
  const seen = { count: 0, headers: {} as IncomingHttpHeaders, body: '' };
  const url = await listen(
    createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.count += 1;
        seen.headers = req.headers;
        seen.body = body;
        if (req.method === 'POST' && req.url === '/form') {
          res.writeHead(201, { location: '/item', 'content-location': '/page?x=1' }).end();
          return;
        }
        if (req.url === '/checked') {
          // a page the origin wants revalidated on every use, and answers 304 when it has not changed
          const headers = { 'cache-control': 'no-cache', etag: '"v1"', 'x-answer': String(seen.count) };
          if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, headers).end();
          else res.writeHead(200, { ...headers, 'content-type': 'text/plain' }).end(`response ${seen.count} to ${req.method} ${req.url}`);
          return;
        }
        res.writeHead(req.url === '/gone' ? 404 : 200, {
          'content-type': 'text/plain',
          'cache-control': 'max-age=60',
          connection: 'keep-alive, x-origin-secret',
          'x-origin-secret': 'hop',
          'keep-alive': 'timeout=77',
        });
        res.end(`response ${seen.count} to ${req.method} ${req.url}`);
      });
    }),
  );
  return { url, seen };
}

/** The proxy stores a page once its headers went out: wait for the cache's own `set`, not a clock. */
async function startProxy(origin: string) {
  const cache = createCache();
  const stored = () => new Promise<void>((resolve) => cache.on('set', () => resolve()));
  // deleteByTag calls, counted by the cache's own `tags` events
  const dropped = (count: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      cache.on('tags', () => {
        if (++seen === count) resolve();
      });
    });
  const url = await listen(createProxyApp(cache, origin, { cacheStatus: 'cachette' }).listen(0, '127.0.0.1'));
  return { url, stored, dropped };
}

describe('caching-proxy', () => {
  it('forwards a miss to the origin and answers the next request from the cache', async () => {
    const origin = await startOrigin();
    const proxy = await startProxy(origin.url);
    const stored = proxy.stored();
    const miss = await send(`${proxy.url}/page?x=1`);
    await stored;
    const hit = await send(`${proxy.url}/page?x=1`);
    expect(miss).toMatchObject({ status: 200, text: 'response 1 to GET /page?x=1' });
    expect(miss.headers['cache-status']).toContain('fwd=uri-miss; stored');
    expect(hit).toMatchObject({ status: 200, text: 'response 1 to GET /page?x=1' });
    expect(hit.headers['cache-status']).toContain('hit');
    expect(origin.seen.count).toBe(1);
  });

  it('stores a heuristically cacheable 404 as well', async () => {
    const origin = await startOrigin();
    const proxy = await startProxy(origin.url);
    const stored = proxy.stored();
    expect((await send(`${proxy.url}/gone`)).status).toBe(404);
    await stored;
    expect((await send(`${proxy.url}/gone`)).status).toBe(404);
    expect(origin.seen.count).toBe(1);
  });

  it('revalidates a stored page with the origin’s ETag, and answers the origin’s 304 with the whole page (RFC 9111 §4.3)', async () => {
    const origin = await startOrigin();
    const proxy = await startProxy(origin.url);
    const stored = proxy.stored();
    expect((await send(`${proxy.url}/checked`)).text).toBe('response 1 to GET /checked');
    await stored;
    const revalidated = await send(`${proxy.url}/checked`);
    expect(origin.seen.count).toBe(2);
    expect(origin.seen.headers['if-none-match']).toBe('"v1"');
    expect(revalidated).toMatchObject({ status: 200, text: 'response 1 to GET /checked' });
    expect(revalidated.headers['x-answer']).toBe('2');
  });

  it('strips hop-by-hop fields both ways and says Via (RFC 9110 §7.6)', async () => {
    const origin = await startOrigin();
    const proxy = await startProxy(origin.url);
    const res = await send(`${proxy.url}/hop`, { headers: { connection: 'x-client-secret', 'x-client-secret': '1', 'x-kept': 'yes' } });
    expect(origin.seen.headers['x-client-secret']).toBeUndefined();
    expect(origin.seen.headers['x-kept']).toBe('yes');
    expect(origin.seen.headers.via).toBe('1.1 cachette');
    expect(res.headers['x-origin-secret']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=77');
    expect(res.headers.via).toBe('1.1 cachette');
  });

  it('streams a request body to the origin, and a successful POST drops the stored page', async () => {
    const origin = await startOrigin();
    const proxy = await startProxy(origin.url);
    const stored = proxy.stored();
    await send(`${proxy.url}/item`);
    await stored;
    const post = await send(`${proxy.url}/item`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'new price' });
    expect(post.status).toBe(200);
    expect(origin.seen.body).toBe('new price');
    expect((await send(`${proxy.url}/item`)).text).toBe('response 3 to GET /item');
  });

  it('a successful POST drops the pages its Location and Content-Location name (RFC 9111 §4.4)', async () => {
    const origin = await startOrigin();
    const proxy = await startProxy(origin.url);
    for (const path of ['/item', '/page?x=1', '/other']) {
      const stored = proxy.stored();
      await send(`${proxy.url}${path}`);
      await stored;
    }
    const dropped = proxy.dropped(3);
    expect((await send(`${proxy.url}/form`, { method: 'POST', body: 'x' })).status).toBe(201);
    await dropped;
    const counted = origin.seen.count;
    await send(`${proxy.url}/item`);
    await send(`${proxy.url}/page?x=1`);
    await send(`${proxy.url}/other`);
    expect(origin.seen.count).toBe(counted + 2);
  });

  it('answers 502 when the origin cannot be reached', async () => {
    const gone = createServer();
    const url = await listen(gone);
    gone.close();
    servers.splice(servers.indexOf(gone), 1);
    const proxy = await startProxy(url);
    expect((await send(`${proxy.url}/`)).status).toBe(502);
  });

  it('forwards 103 Early Hints ahead of the response', async () => {
    const url = await listen(
      createServer((_req, res) => {
        res.writeEarlyHints({ link: '</a.css>; rel=preload; as=style' });
        res.end('page');
      }),
    );
    const proxy = await startProxy(url);
    const hints: string[] = [];
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(`${proxy.url}/hints`, { agent: false }, (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(body));
      });
      req.on('information', (info) => hints.push(`${info.statusCode} ${info.headers.link}`));
      req.on('error', reject);
      req.end();
    });
    expect(hints).toEqual(['103 </a.css>; rel=preload; as=style']);
    expect(text).toBe('page');
  });

  it('keeps repeated fields as they came and drops what Connection nominates', () => {
    expect(endToEnd(['Connection', 'X-A, close', 'X-A', '1', 'Age', '1', 'Age', '2', 'TE', 'trailers'])).toEqual({ age: ['1', '2'] });
  });
});
