import { describe, expect, it } from 'vitest';
import { createCache, manualClock } from '../../src/index.js';
import { createSitePageCache } from '../../src/pages.js';
import { expectRender, expectServe, renderThrough, req, res, setup, text } from './helpers.js';

const LAST_MODIFIED = 'Wed, 01 Jan 2020 00:00:00 GMT';

describe('revalidation with validators (RFC 9111 §4.3)', () => {
  it('the handler sees the stored validators in place of the client’s; the request keeps its own', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('a', { etag: '"v1"', 'last-modified': LAST_MODIFIED, 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    const client = req({}, { 'if-none-match': '"old"', 'x-keep': '1' });
    const capture = expectRender(await pages.begin(client));
    expect(capture.headerView).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': LAST_MODIFIED, 'x-keep': '1' });
    expect(client.headers['if-none-match']).toBe('"old"');
  });

  it('a plain miss, and a page whose only ETag is the cache’s own, are rendered without validators', async () => {
    const { pages, clock } = setup();
    const miss = expectRender(await pages.begin(req()));
    expect(miss.headerView).toBeUndefined();
    await miss.finish(res('made here', { 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    expect(expectRender(await pages.begin(req())).headerView).toBeUndefined();
  });

  it('the 304’s fields replace the stored ones, but never Content-Length (RFC 9111 §3.2)', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('0123456789', { etag: '"v1"', 'cache-control': 'max-age=10', 'x-a': '1' }));
    await clock.advance(11_000);
    const capture = expectRender(await pages.begin(req()));
    const sent = await capture.finish({
      status: 304,
      headers: { etag: '"v1"', 'cache-control': 'max-age=60', 'x-a': '2', 'content-length': '3', connection: 'close' },
      body: new Uint8Array(0),
    });
    expect(sent.status).toBe(200);
    expect(text(sent)).toBe('0123456789');
    expect(sent.headers).toMatchObject({ 'x-a': '2', 'cache-control': 'max-age=60', 'content-length': '10' });
    expect(sent.headers.connection).toBeUndefined();
    await clock.advance(50_000);
    expect(expectServe(await pages.begin(req())).headers['x-a']).toBe('2');
  });

  it('Cache-Status says the page was revalidated: fwd=stale, fwd-status=304, stored', async () => {
    const { pages, clock } = setup({ cacheStatus: 'cachette' });
    await renderThrough(pages, req(), res('a', { etag: '"v1"', 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    const capture = expectRender(await pages.begin(req()));
    const sent = await capture.finish({ status: 304, headers: { etag: '"v1"' }, body: new Uint8Array(0) });
    expect(sent.headers['cache-status']).toBe('cachette; fwd=stale; fwd-status=304; stored');
  });

  it('a 304 with Last-Modified selects a page with the same Last-Modified only (RFC 9111 §4.3.4)', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('dated', { 'last-modified': LAST_MODIFIED, 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    const capture = expectRender(await pages.begin(req()));
    const later = 'Thu, 02 Jan 2020 00:00:00 GMT';
    const sent = await capture.finish({ status: 304, headers: { 'last-modified': later, 'x-a': '2' }, body: new Uint8Array(0) });
    expect(sent.headers['last-modified']).toBe(LAST_MODIFIED);
    expect(sent.headers['x-a']).toBeUndefined();
    expect(expectRender(await pages.begin(req())).headerView).toMatchObject({ 'if-modified-since': LAST_MODIFIED });
  });

  it('a Set-Cookie in the 304 keeps the freshened page out of the cache', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('a', { etag: '"v1"', 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    const capture = expectRender(await pages.begin(req()));
    await capture.finish({ status: 304, headers: { etag: '"v1"', 'set-cookie': 'sid=1' }, body: new Uint8Array(0) });
    expect((await pages.begin(req())).action).toBe('render');
  });

  it('a client’s If-None-Match that matches the freshened page is answered 304', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('a', { etag: '"v1"', 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    const capture = expectRender(await pages.begin(req({}, { 'if-none-match': '"v1"' })));
    const sent = await capture.finish({ status: 304, headers: { etag: '"v1"', 'cache-control': 'max-age=10' }, body: new Uint8Array(0) });
    expect(sent.status).toBe(304);
  });
});

describe('the origin’s stale-while-revalidate / stale-if-error (RFC 5861)', () => {
  it('under a route TTL, the route’s window bounds the response’s', async () => {
    const { pages, clock } = setup({ staleIfError: '30s' });
    await renderThrough(pages, req(), res('a', { 'cache-control': 'max-age=10, stale-if-error=5' }));
    await clock.advance(16_000);
    const capture = expectRender(await pages.begin(req()));
    expect(await capture.fail(new Error('down'))).toBeUndefined();
    const route = setup({ staleIfError: '3s' });
    await renderThrough(route.pages, req(), res('a', { 'cache-control': 'max-age=10, stale-if-error=60' }));
    await route.clock.advance(14_000);
    expect(await expectRender(await route.pages.begin(req())).fail(new Error('down'))).toBeUndefined();
    await renderThrough(route.pages, req({ url: '/b' }), res('b', { 'cache-control': 'max-age=10, stale-if-error=60' }));
    await route.clock.advance(12_000);
    expect(text((await expectRender(await route.pages.begin(req({ url: '/b' }))).fail(new Error('down'))) as never)).toBe('b');
  });

  it('site-wide, the response’s own window stands where the configured one is 0', async () => {
    const clock = manualClock();
    const cache = createCache({ clock });
    const pages = createSitePageCache({ cache, ttl: '1h' });
    await renderThrough(pages, req(), res('a', { 'cache-control': 'max-age=10, stale-if-error=60' }));
    await renderThrough(pages, req({ url: '/none' }), res('b', { 'cache-control': 'max-age=10' }));
    await clock.advance(30_000);
    const stale = await expectRender(await pages.begin(req())).fail(new Error('down'));
    expect(stale && text(stale)).toBe('a');
    expect(await expectRender(await pages.begin(req({ url: '/none' }))).fail(new Error('down'))).toBeUndefined();
  });
});

describe('only-if-cached (RFC 9111 §5.2.1.7)', () => {
  it('is answered 504 when nothing fit to send is stored, without the handler', async () => {
    const { pages } = setup();
    const miss = expectServe(await pages.begin(req({}, { 'cache-control': 'only-if-cached' })));
    expect(miss.status).toBe(504);
    await renderThrough(pages, req(), res('a'));
    expect(text(expectServe(await pages.begin(req({}, { 'cache-control': 'only-if-cached' }))))).toBe('a');
  });
});
