import { describe, expect, it } from 'vitest';
import { formatHttpDate, strongETag } from '../../src/http.js';
import { expectPass, expectRender, expectServe, isStored, renderThrough, req, res, setup, text } from './helpers.js';

describe('a stored page', () => {
  it('is served with Age, Date and no hop-by-hop or Set-Cookie headers', async () => {
    const { pages, clock } = setup({ cacheStatus: 'cachette' });
    const hopByHop = { connection: 'x-trace', 'x-trace': '1', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked' };
    const date = formatHttpDate(clock.now());
    const sent = await renderThrough(pages, req(), res('hello', { ...hopByHop, date, 'x-app': 'a' }));
    expect(sent.headers['cache-status']).toBe('cachette; fwd=uri-miss; stored');
    expect(sent.headers.age).toBeUndefined();
    await clock.advance(3_500);
    const hit = expectServe(await pages.begin(req()));
    expect(text(hit)).toBe('hello');
    expect(hit.status).toBe(200);
    expect(hit.headers.age).toBe('3');
    // Issue 12: the stored Date is kept (RFC 9110 §6.6.1); Age says how old the page is.
    expect(hit.headers.date).toBe(date);
    expect(hit.headers['x-app']).toBe('a');
    expect(hit.headers['content-length']).toBe('5');
    expect(hit.headers['cache-status']).toBe('cachette; hit; ttl=56');
    for (const name of ['connection', 'x-trace', 'keep-alive', 'transfer-encoding', 'set-cookie'])
      expect(hit.headers[name]).toBeUndefined();
  });

  it('Age grows with the clock and the page expires at its TTL', async () => {
    const { pages, clock } = setup({}, '10s');
    await renderThrough(pages, req(), res());
    for (const [advance, age] of [
      [1_000, '1'],
      [4_000, '5'],
      [4_999, '9'],
    ] as const) {
      await clock.advance(advance);
      expect(expectServe(await pages.begin(req())).headers.age).toBe(age);
    }
    await clock.advance(1);
    expectRender(await pages.begin(req()));
  });

  it('adds max-age, Expires and a strong ETag on store (Django patch_response_headers)', async () => {
    const { pages, clock } = setup({}, '2m');
    const sent = await renderThrough(pages, req(), res('body', { 'last-modified': 'Mon, 01 Jan 2001 00:00:00 GMT' }));
    expect(sent.headers['cache-control']).toBe('max-age=120');
    expect(sent.headers.expires).toBe(formatHttpDate(clock.now() + 120_000));
    expect(sent.headers.etag).toBe(strongETag('body'));
    expect(sent.headers['last-modified']).toBe('Mon, 01 Jan 2001 00:00:00 GMT');
    const hit = expectServe(await pages.begin(req()));
    expect(hit.headers.etag).toBe(strongETag('body'));
  });

  it('keeps what the origin set: max-age, Expires, ETag', async () => {
    const { pages } = setup({}, '2m');
    const headers = { 'cache-control': 'public, max-age=30', expires: 'Fri, 01 Jan 2100 00:00:00 GMT', etag: 'W/"v1"' };
    const sent = await renderThrough(pages, req(), res('body', headers));
    expect(sent.headers).toMatchObject(headers);
  });

  it('per-status TTLs', async () => {
    const { pages, clock } = setup({ statuses: { 200: '1m', 404: '10s', 301: '1h' } });
    await renderThrough(pages, req({ url: '/missing' }), res('nope', {}, 404));
    await renderThrough(pages, req({ url: '/moved' }), res('', { location: '/new' }, 301));
    await renderThrough(pages, req({ url: '/created' }), res('', {}, 201));
    expect(expectServe(await pages.begin(req({ url: '/missing' }))).status).toBe(404);
    expect(expectServe(await pages.begin(req({ url: '/moved' }))).headers.location).toBe('/new');
    expectRender(await pages.begin(req({ url: '/created' })));
    await clock.advance(10_000);
    expectRender(await pages.begin(req({ url: '/missing' })));
    expectServe(await pages.begin(req({ url: '/moved' })));
  });

  it.each([
    [{ 'cache-control': 'max-age=10' }, 10_000],
    [{ 'cache-control': 'max-age=100, s-maxage=5' }, 5_000],
    [{ 'cache-control': 'max-age=20', age: '15' }, 5_000],
    [{ expires: 'Thu, 01 Jan 2026 00:00:07 GMT' }, 7_000],
    [{ 'cache-control': 'max-age=3600' }, 60_000],
  ])('the origin limit %j caps the route TTL at %i ms', async (headers, life) => {
    const { pages, clock } = setup({}, '1m');
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    await renderThrough(pages, req(), res('x', headers));
    await clock.advance(life - 1);
    expectServe(await pages.begin(req()));
    await clock.advance(1);
    expectRender(await pages.begin(req()));
  });

  it('a response older than its Date says has that age already (RFC 9111 §4.2.3)', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('x', { date: formatHttpDate(clock.now() - 30_000), 'cache-control': 'max-age=40' }));
    expect(expectServe(await pages.begin(req())).headers.age).toBe('30');
    await clock.advance(10_000);
    expectRender(await pages.begin(req()));
  });

  it('the origin Age counts in the Age served', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('x', { age: '7' }));
    await clock.advance(2_000);
    expect(expectServe(await pages.begin(req())).headers.age).toBe('9');
  });
});

describe('conditional requests and HEAD', () => {
  const etag = strongETag('hello');

  it.each([
    [{ 'if-none-match': etag }],
    [{ 'if-none-match': `W/${etag}` }],
    [{ 'if-none-match': `"other", ${etag}` }],
    [{ 'if-none-match': '*' }],
    [{ 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' }],
    [{ 'if-modified-since': 'Tue, 02 Jan 2001 00:00:00 GMT' }],
  ])('%j → 304 with the validators and Age', async (headers) => {
    const { pages, clock } = setup({ cacheStatus: 'c' });
    await renderThrough(pages, req(), res('hello', { 'last-modified': 'Mon, 01 Jan 2001 00:00:00 GMT', 'x-app': '1' }));
    await clock.advance(2_000);
    const sent = expectServe(await pages.begin(req({}, headers)));
    expect(sent.status).toBe(304);
    expect(sent.body.byteLength).toBe(0);
    expect(sent.headers).toMatchObject({ etag, age: '2', 'cache-control': 'max-age=60', 'cache-status': 'c; hit; ttl=58' });
    expect(sent.headers['x-app']).toBeUndefined();
    expect(sent.headers['content-length']).toBeUndefined();
  });

  it.each([
    [{ 'if-none-match': '"other"' }],
    [{ 'if-none-match': 'garbage' }],
    [{ 'if-none-match': '"other"', 'if-modified-since': 'Tue, 02 Jan 2001 00:00:00 GMT' }],
    [{ 'if-modified-since': 'Sun, 31 Dec 2000 00:00:00 GMT' }],
    [{ 'if-modified-since': 'yesterday' }],
  ])('%j → 200', async (headers) => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('hello', { 'last-modified': 'Mon, 01 Jan 2001 00:00:00 GMT' }));
    const sent = expectServe(await pages.begin(req({}, headers)));
    expect(sent.status).toBe(200);
    expect(text(sent)).toBe('hello');
  });

  it('a stored 404 is never answered 304', async () => {
    const { pages } = setup({ statuses: { 404: '1m' } });
    await renderThrough(pages, req(), res('nope', { etag: '"x"' }, 404));
    expect(expectServe(await pages.begin(req({}, { 'if-none-match': '"x"' }))).status).toBe(404);
  });

  it('the render that stores answers a matching If-None-Match with 304', async () => {
    const { pages } = setup();
    const sent = await renderThrough(pages, req({}, { 'if-none-match': etag }), res('hello'));
    expect(sent.status).toBe(304);
  });

  it('HEAD is served from the GET page without a body, Content-Length kept', async () => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('hello'));
    const head = expectServe(await pages.begin(req({ method: 'HEAD' })));
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    expect(head.headers['content-length']).toBe('5');
    expect(head.headers.etag).toBe(etag);
  });

  it('a HEAD miss passes and nothing is stored from it', async () => {
    const { pages } = setup();
    expectPass(await pages.begin(req({ method: 'HEAD' })));
    expectRender(await pages.begin(req()));
  });
});

describe('Vary', () => {
  it('learns the Vary list and keeps one page per variant', async () => {
    const { pages } = setup({ cacheStatus: 'c' });
    const fr = req({}, { 'accept-language': 'fr' });
    const de = req({}, { 'Accept-Language': 'de' });
    const sent = await renderThrough(pages, fr, res('bonjour', { vary: 'Accept-Language' }));
    expect(sent.headers['cache-status']).toBe('c; fwd=uri-miss; stored');
    expect(text(expectServe(await pages.begin(fr)))).toBe('bonjour');
    const miss = expectRender(await pages.begin(de));
    expect((await miss.finish(res('hallo', { vary: 'Accept-Language' }))).headers['cache-status']).toBe('c; fwd=vary-miss; stored');
    expect(text(expectServe(await pages.begin(de)))).toBe('hallo');
    expect(text(expectServe(await pages.begin(fr)))).toBe('bonjour');
    expectRender(await pages.begin(req()));
  });

  it('tells an absent header from an empty one', async () => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('absent', { vary: 'X-Flag' }));
    expectRender(await pages.begin(req({}, { 'x-flag': '' })));
    expect(text(expectServe(await pages.begin(req())))).toBe('absent');
  });

  it('declared varyHeaders key the page and join the Vary sent', async () => {
    const { pages } = setup({ varyHeaders: ['Accept-Language'], varyCookies: ['lang'] });
    const sent = await renderThrough(pages, req({}, { 'accept-language': 'fr' }), res('fr', { vary: 'Accept-Encoding' }));
    expect(sent.headers.vary).toBe('Accept-Encoding, accept-language, Cookie');
    expectRender(await pages.begin(req({}, { 'accept-language': 'de' })));
    expectServe(await pages.begin(req({}, { 'accept-language': 'fr' })));
  });

  it('a route-declared cookie splits the cache; any other cookie passes', async () => {
    const { pages } = setup({ varyCookies: ['lang'] });
    await renderThrough(pages, req({}, { cookie: 'lang=fr' }), res('fr'));
    expect(text(expectServe(await pages.begin(req({}, { cookie: 'lang=fr' }))))).toBe('fr');
    expectRender(await pages.begin(req({}, { cookie: 'lang=de' })));
    expectRender(await pages.begin(req()));
    expectPass(await pages.begin(req({}, { cookie: 'lang=fr; sessionid=1' })));
    expectPass(await pages.begin(req({}, { Cookie: 'csrftoken=x' })));
  });

  it('routing headers are keyed: an X-Forwarded-Host the route does not trust cannot poison', async () => {
    const { pages } = setup();
    await renderThrough(pages, req({}, { 'x-forwarded-host': 'evil.com' }), res('<a href="//evil.com">'));
    expectRender(await pages.begin(req()));
    expectServe(await pages.begin(req({}, { 'x-forwarded-host': 'evil.com' })));
  });
});

describe('hosts', () => {
  it('never caches for a host outside `hosts`', async () => {
    const { pages } = setup({ hosts: ['example.com'] });
    expectPass(await pages.begin(req({}, { host: 'evil.com' })));
    await renderThrough(pages, req(), res('good'));
    expectPass(await pages.begin(req({}, { host: 'evil.com' })));
    expect(text(expectServe(await pages.begin(req({}, { host: 'EXAMPLE.com.' }))))).toBe('good');
  });

  it('keeps hosts apart', async () => {
    const { pages } = setup();
    await renderThrough(pages, req({}, { host: 'a.com' }), res('a'));
    expectRender(await pages.begin(req({}, { host: 'b.com' })));
    expectRender(await pages.begin(req({ secure: true }, { host: 'a.com' })));
  });

  it('ignores X-Forwarded-Host without trustProxy, uses its first value with it', async () => {
    const untrusted = setup({ hosts: ['example.com'] });
    expectRender(await untrusted.pages.begin(req({}, { 'x-forwarded-host': 'evil.com' })));
    const trusted = setup({ hosts: ['example.com'], trustProxy: true });
    expectPass(await trusted.pages.begin(req({}, { 'x-forwarded-host': 'evil.com, example.com' })));
    await renderThrough(
      trusted.pages,
      req({}, { host: 'internal', 'x-forwarded-host': 'example.com', 'x-forwarded-proto': 'https' }),
      res('x'),
    );
    expectServe(await trusted.pages.begin(req({}, { host: 'internal', 'x-forwarded-host': 'example.com', 'x-forwarded-proto': 'https' })));
  });
});

describe('Authorization (RFC 9111 §3.5)', () => {
  const auth = { authorization: 'Bearer t' };

  it('a private-by-default response to a request with Authorization is not stored', async () => {
    const { pages } = setup();
    expect(await isStored(pages, res('mine'), req({}, auth))).toBe(false);
    expectRender(await pages.begin(req()));
  });

  it('is stored when public or s-maxage, and then serves requests with or without credentials', async () => {
    for (const cc of ['public', 's-maxage=60']) {
      const { pages } = setup();
      await renderThrough(pages, req({}, auth), res('shared', { 'cache-control': cc }));
      expectServe(await pages.begin(req({}, auth)));
      expectServe(await pages.begin(req()));
    }
  });

  it('must-revalidate also makes it shareable (RFC 9111 §3.5), and it is never served stale', async () => {
    const { pages, clock } = setup({ staleIfError: '1h' });
    await renderThrough(pages, req({}, auth), res('shared', { 'cache-control': 'max-age=10, must-revalidate' }));
    expectServe(await pages.begin(req({}, auth)));
    expectServe(await pages.begin(req()));
    await clock.advance(10_000);
    const failed = res('down', {}, 503);
    expect(await expectRender(await pages.begin(req({}, auth))).finish(failed)).toBe(failed);
  });

  it('a page stored without public is not served to a request with Authorization', async () => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('anonymous'));
    expectServe(await pages.begin(req()));
    const capture = expectRender(await pages.begin(req({}, auth)));
    await capture.finish(res('for you'));
    expect(text(expectServe(await pages.begin(req())))).toBe('anonymous');
  });
});
