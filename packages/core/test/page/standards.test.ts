import { describe, expect, it } from 'vitest';
import { formatHttpDate } from '../../src/http.js';
import { purgeUrl } from '../../src/index.js';
import { urlTag } from '../../src/pages.js';
import { expectRender, expectServe, renderThrough, req, res, setup, text } from './helpers.js';

// A port nothing listens on: a background revalidation to it fails (reported), harmlessly.
const nowhere = { address: '127.0.0.1', port: 9 };

describe('s-maxage forbids serving stale from a shared cache (RFC 9111 §5.2.2.10, §4.2.4)', () => {
  it('no stale-if-error once an s-maxage page is stale', async () => {
    const { pages, clock } = setup({ staleIfError: '1h' });
    await renderThrough(pages, req(), res('old', { 'cache-control': 's-maxage=10' }));
    await clock.advance(11_000);
    const failed = res('down', {}, 503);
    expect(await expectRender(await pages.begin(req())).finish(failed)).toBe(failed);
  });

  it('no stale-while-revalidate once an s-maxage page is stale', async () => {
    const { pages, clock } = setup({ staleWhileRevalidate: '1h' });
    await renderThrough(pages, req(), res('old', { 'cache-control': 'public, s-maxage=10' }));
    await clock.advance(11_000);
    expectRender(await pages.begin(req({ local: nowhere })));
  });

  it('without s-maxage the same page is served stale', async () => {
    const { pages, clock } = setup({ staleIfError: '1h' });
    await renderThrough(pages, req(), res('old', { 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    const sent = await expectRender(await pages.begin(req())).finish(res('down', {}, 503));
    expect(text(sent)).toBe('old');
  });
});

describe('Age (RFC 9111 §5.1, §4.2.3)', () => {
  it('the storing render keeps the age the response already had, and its Date', async () => {
    const { pages, clock } = setup();
    const sent = await renderThrough(pages, req(), res('x', { date: formatHttpDate(clock.now() - 30_000), 'cache-control': 'max-age=40' }));
    // Issue 12: the origin's Date is kept (RFC 9110 §6.6.1), no longer replaced by the time of the render.
    expect(sent.headers.date).toBe(formatHttpDate(clock.now() - 30_000));
    expect(sent.headers.age).toBe('30');
    const fromUpstream = await renderThrough(setup().pages, req(), res('x', { age: '7' }));
    expect(fromUpstream.headers.age).toBe('7');
  });
});

describe('If-Modified-Since without Last-Modified (RFC 9111 §4.3.2)', () => {
  it('is evaluated against the stored Date', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('x'));
    const stored = clock.now();
    await clock.advance(5_000);
    expect(expectServe(await pages.begin(req({}, { 'if-modified-since': formatHttpDate(stored) }))).status).toBe(304);
    expect(expectServe(await pages.begin(req({}, { 'if-modified-since': formatHttpDate(stored - 1_000) }))).status).toBe(200);
  });
});

describe('204 No Content (RFC 9110 §8.6)', () => {
  it('a stored 204 is replayed without Content-Length', async () => {
    const { pages } = setup({ statuses: { 204: '1m' } });
    const sent = await renderThrough(pages, req(), res('', {}, 204));
    expect(sent.headers['content-length']).toBeUndefined();
    const hit = expectServe(await pages.begin(req()));
    expect(hit.status).toBe(204);
    expect(hit.headers['content-length']).toBeUndefined();
  });
});

describe('Surrogate-Control: no-store (Varnish builtin.vcl)', () => {
  it('is not stored', async () => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('x', { 'surrogate-control': 'No-Store' }));
    expectRender(await pages.begin(req()));
  });
});

describe('invalidation reaches equivalent URIs (RFC 9111 §4.4, RFC 9110 §4.2.3)', () => {
  it.each([
    ['/p/%41', '/p/A'],
    ['/p/%7e', '/p/~'],
    ['/p/a%2fb', '/p/a%2Fb'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/p?q=%41', '/p?q=A'],
    ['/p/', '/p'],
    ['/Page', '/page'],
  ])('%s and %s purge together', (a, b) => {
    expect(urlTag('', 'example.com', a)).toBe(urlTag('', 'example.com', b));
  });

  it('keeps reserved characters apart', () => {
    expect(urlTag('', 'example.com', '/p/a%2Fb')).not.toBe(urlTag('', 'example.com', '/p/a/b'));
    expect(urlTag('', 'example.com', '/p?a=%26')).not.toBe(urlTag('', 'example.com', '/p?a=&'));
  });

  it('a POST to /p/A drops the page stored for /p/%41', async () => {
    const { pages } = setup();
    await renderThrough(pages, req({ url: '/p/%41' }), res('a'));
    const post = await pages.begin(req({ method: 'POST', url: '/p/A', hasBody: true }));
    if (post.action === 'pass') post.onFinish?.(204);
    await new Promise((resolve) => setImmediate(resolve));
    expectRender(await pages.begin(req({ url: '/p/%41' })));
  });

  it('purgeUrl drops a page stored under another spelling', async () => {
    const { pages, cache } = setup();
    await renderThrough(pages, req({ url: '/p/a/' }), res('a'));
    await purgeUrl(cache, 'http://example.com/p/%61');
    expectRender(await pages.begin(req({ url: '/p/a/' })));
  });
});
