import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CacheStore, createCache } from '../../src/index.js';
import type { PageCache, PageRequest, PageResponse } from '../../src/pages.js';
import { expectPass, expectRender, expectServe, renderThrough, req, res, setup, text } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A tiny real server whose handler goes through the page cache, as an adapter would. */
async function serveThrough(pages: PageCache, handler: (req: IncomingMessage) => PageResponse) {
  const seen: IncomingMessage['headers'][] = [];
  let rendered: () => void = () => undefined;
  const server = createServer(async (incoming, outgoing) => {
    const request: PageRequest = {
      method: incoming.method ?? 'GET',
      url: incoming.url ?? '/',
      headers: incoming.headers,
      secure: false,
      hasBody: false,
      local: { address: incoming.socket.localAddress ?? '', port: incoming.socket.localPort ?? 0 },
    };
    const decision = await pages.begin(request);
    let response: PageResponse;
    if (decision.action === 'serve') response = decision.response;
    else {
      seen.push(incoming.headers);
      response = handler(incoming);
      if (decision.action === 'render') response = await decision.capture.finish(response);
    }
    outgoing.writeHead(response.status, response.headers);
    outgoing.end(response.body);
    rendered();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    local: { address: '127.0.0.1', port },
    seen,
    nextRender: () =>
      new Promise<void>((resolve) => {
        rendered = resolve;
      }),
  };
}

describe('stale-while-revalidate', () => {
  it('serves the stale page at once and refreshes it with one real loopback request', async () => {
    const { pages, clock } = setup({ staleWhileRevalidate: '1m', cacheStatus: 'c', varyCookies: ['lang'] }, '10s');
    let version = 0;
    const server = await serveThrough(pages, () => res(`v${++version}`, { vary: 'Accept-Language' }));
    const headers = { 'accept-language': 'fr', cookie: 'lang=fr', 'x-unrelated': '1' };
    await renderThrough(pages, req({ local: server.local }, headers), res('v0', { vary: 'Accept-Language' }));
    await clock.advance(12_000);
    const refreshed = server.nextRender();
    const stale = expectServe(await pages.begin(req({ local: server.local }, headers)));
    expect(text(stale)).toBe('v0');
    expect(stale.headers.age).toBe('12');
    expect(stale.headers['cache-status']).toBe('c; hit; ttl=-2');
    // a second stale hit while the refresh runs starts no other refresh
    expect(text(expectServe(await pages.begin(req({ local: server.local }, headers))))).toBe('v0');
    await refreshed;
    expect(version).toBe(1);
    const sent = server.seen[0] ?? {};
    expect(sent['x-cachette-revalidate']).toBeTypeOf('string');
    expect(sent).toMatchObject({ host: 'example.com', 'accept-language': 'fr', cookie: 'lang=fr' });
    expect(sent['x-unrelated']).toBeUndefined();
    const fresh = expectServe(await pages.begin(req({}, headers)));
    expect(text(fresh)).toBe('v1');
    expect(fresh.headers.age).toBe('0');
  });

  it('a page stale by less than a second says so: ttl=-1 (RFC 9211), never the ttl=0 of a fresh one', async () => {
    const { pages, clock } = setup({ staleWhileRevalidate: '1m', cacheStatus: 'c' }, '10s');
    const server = await serveThrough(pages, () => res('v1'));
    await renderThrough(pages, req({ local: server.local }), res('v0'));
    await clock.advance(9_600);
    expect(expectServe(await pages.begin(req({ local: server.local }))).headers['cache-status']).toBe('c; hit; ttl=0');
    const refreshed = server.nextRender();
    await clock.advance(800);
    expect(expectServe(await pages.begin(req({ local: server.local }))).headers['cache-status']).toBe('c; hit; ttl=-1');
    await refreshed;
  });

  it('never sends Authorization on the loopback: such a request renders in the foreground', async () => {
    const { pages, clock } = setup({ staleWhileRevalidate: '1m' }, '10s');
    await renderThrough(pages, req(), res('v0', { 'cache-control': 'public' }));
    await clock.advance(11_000);
    const capture = expectRender(await pages.begin(req({ local: { address: '127.0.0.1', port: 1 } }, { authorization: 'Basic x' })));
    expect(capture).toBeDefined();
  });

  it('without `local`, or on TLS, a stale page is a miss (rendered in the foreground)', async () => {
    const { pages, clock } = setup({ staleWhileRevalidate: '1m', cacheStatus: 'c' }, '10s');
    await renderThrough(pages, req(), res('v0'));
    await clock.advance(11_000);
    const capture = expectRender(await pages.begin(req()));
    expect((await capture.finish(res('v1'))).headers['cache-status']).toBe('c; fwd=stale; stored');
    await clock.advance(11_000);
    expectRender(await pages.begin(req({ secure: true, local: { address: '127.0.0.1', port: 1 } }, { host: 'example.com' })));
  });

  it('a refresh that is no longer storable drops the stale page', async () => {
    const { pages, clock } = setup({ staleWhileRevalidate: '1m' }, '10s');
    const server = await serveThrough(pages, () => res('now private', { 'cache-control': 'private' }));
    await renderThrough(pages, req(), res('v0'));
    await clock.advance(11_000);
    const refreshed = server.nextRender();
    expectServe(await pages.begin(req({ local: server.local })));
    await refreshed;
    expectRender(await pages.begin(req({ local: server.local })));
  });

  it('a refresh that cannot connect is reported to onError', async () => {
    const { pages, clock, errors } = setup({ staleWhileRevalidate: '1m' }, '10s');
    const server = await serveThrough(pages, () => res('x'));
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await renderThrough(pages, req(), res('v0'));
    await clock.advance(11_000);
    expectServe(await pages.begin(req({ local: server.local })));
    await expect.poll(() => errors.length).toBe(1);
    expect(String((errors[0] as Error).message)).toMatch(/^\[cachette:core\] background revalidation of \/page failed/);
  });

  it('a forged or foreign revalidation header passes', async () => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('v0'));
    expectPass(await pages.begin(req({}, { 'x-cachette-revalidate': 'guess' })));
  });
});

describe('stale-if-error', () => {
  async function stalePage(options = {}) {
    const s = setup({ staleIfError: '1m', cacheStatus: 'c', ...options }, '10s');
    await renderThrough(s.pages, req(), res('v0', { etag: '"v0"' }));
    await s.clock.advance(15_000);
    return s;
  }

  it('fail() answers with the stale page inside the window', async () => {
    const { pages } = await stalePage();
    const capture = expectRender(await pages.begin(req()));
    const stale = await capture.fail(new Error('db down'));
    expect(stale && text(stale)).toBe('v0');
    expect(stale?.headers['cache-status']).toBe('c; fwd=stale; ttl=-5; detail=stale-if-error');
    expect(stale?.headers.age).toBe('15');
  });

  it('a 5xx is replaced by the stale page; past the window it goes through', async () => {
    const { pages, clock } = await stalePage();
    const sent = await expectRender(await pages.begin(req())).finish(res('oops', {}, 503));
    expect(sent.status).toBe(200);
    expect(text(sent)).toBe('v0');
    expect(sent.headers['cache-status']).toBe('c; fwd=stale; fwd-status=503; ttl=-5; detail=stale-if-error');
    await clock.advance(60_000);
    const capture = expectRender(await pages.begin(req()));
    expect(await capture.fail(new Error('x'))).toBeUndefined();
    const error = res('oops', {}, 500);
    expect((await expectRender(await pages.begin(req())).finish(error)).status).toBe(500);
  });

  it('must-revalidate / proxy-revalidate in the stored response: never served stale', async () => {
    for (const cc of ['must-revalidate', 'proxy-revalidate']) {
      const { pages, clock } = setup({ staleIfError: '1m', staleWhileRevalidate: '1m' }, '10s');
      await renderThrough(pages, req(), res('v0', { 'cache-control': cc }));
      await clock.advance(11_000);
      const capture = expectRender(await pages.begin(req({ local: { address: '127.0.0.1', port: 1 } })));
      expect(await capture.fail(new Error('x'))).toBeUndefined();
    }
  });
});

describe('a store that is down', () => {
  it('never fails a request: begin renders, finish sends the response', async () => {
    const broken: CacheStore = {
      name: 'chaos',
      shared: true,
      get: () => Promise.reject(new Error('chaos: get')),
      set: () => Promise.reject(new Error('chaos: set')),
      delete: () => Promise.reject(new Error('chaos: delete')),
    };
    const cacheErrors: unknown[] = [];
    const cache = createCache({ tiers: [{ store: broken }], circuitBreaker: { failures: 1000 } });
    cache.on('error', (e) => cacheErrors.push(e));
    const { pages } = setup({ cache, staleIfError: '1m' });
    for (let i = 0; i < 3; i++) {
      const capture = expectRender(await pages.begin(req()));
      const response = res('still here');
      expect(text(await capture.finish(response))).toBe('still here');
    }
    expect(await expectRender(await pages.begin(req())).fail(new Error('x'))).toBeUndefined();
    expect(cacheErrors.length).toBeGreaterThan(0);
  });

  it('a shared store that returns junk is read as a miss and reported', async () => {
    const junk: CacheStore = {
      name: 'junk',
      shared: false,
      get: () => ({ value: 'nope', createdAt: 0, freshUntil: 9e15, staleUntil: 9e15, staleIfErrorUntil: 9e15, tags: [] }),
      set: () => undefined,
      delete: () => true,
    };
    const { pages, errors } = setup({ cache: createCache({ tiers: [{ store: junk }] }) });
    expectRender(await pages.begin(req()));
    expect(errors.length).toBeGreaterThan(0);
  });

  it('an internal error is reported and answered pass, even when onError throws', async () => {
    const seen: unknown[] = [];
    const { pages } = setup({
      onError: (e) => {
        seen.push(e);
        throw new Error('onError broke too');
      },
    });
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('hostile headers');
        },
      },
    );
    await expect(pages.begin({ ...req(), headers: hostile })).resolves.toEqual({ action: 'pass' });
    expect(seen).toHaveLength(1);
    const capture = expectRender(await pages.begin(req()));
    const odd = { status: 200, headers: hostile, body: new Uint8Array(1) } as never;
    await expect(capture.finish(odd)).resolves.toBe(odd);
    expect(seen).toHaveLength(2);
  });

  it('begin answers pass, never rejects, whatever it is handed', async () => {
    const { pages } = setup();
    for (const bad of [null, undefined, 42, { method: 'GET' }, { method: 'GET', url: 5, headers: {} }]) {
      await expect(pages.begin(bad as never)).resolves.toEqual({ action: 'pass' });
    }
  });
});
