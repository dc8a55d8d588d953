import { describe, expect, it } from 'vitest';
import { createCache, manualClock, memoryStore } from '../../src/index.js';
import { replay } from '../../src/page/conditional-serve.js';
import { expectPass, expectRender, expectServe, renderThrough, req, res, setup, text } from './helpers.js';

const raw = (response: { rawHeaders?: readonly string[] }) => response.rawHeaders;

describe('the hit path: a plain GET answered synchronously by hit() (issue 7)', () => {
  it('answers a stored page with the same status, headers and body as begin, Age and Cache-Status included', async () => {
    const { pages, clock } = setup({ cacheStatus: 'cachette' });
    expect(pages.hit(req())).toBeUndefined();
    await renderThrough(pages, req(), res('hello', { 'x-app': 'a', link: ['</a>; rel=preload', '</b>; rel=preload'] }));
    await clock.advance(3_000);
    const fast = pages.hit(req());
    const full = expectServe(await pages.begin(req()));
    expect(fast).toBeDefined();
    if (fast === undefined) return;
    expect(fast.status).toBe(200);
    expect(text(fast)).toBe('hello');
    expect(fast.headers).toEqual(full.headers);
    expect(fast.headers.age).toBe('3');
    expect(fast.headers['cache-status']).toBe('cachette; hit; ttl=57');
    expect(fast.headers.link).toEqual(['</a>; rel=preload', '</b>; rel=preload']);
    // as Node's writeHead takes them: a name per value
    expect(raw(fast)?.filter((field) => field === 'link')).toHaveLength(2);
    const head = pages.hit(req({ method: 'HEAD' }));
    expect(head?.body.byteLength).toBe(0);
    expect(head?.headers['content-length']).toBe('5');
  });

  it('has the headers replay() makes for a plain request, in the same order', async () => {
    const { pages, clock } = setup({ cacheStatus: 'c' });
    await renderThrough(pages, req(), res('x', { etag: '"1"', connection: 'x-trace', 'x-trace': '1' }));
    await clock.advance(1_500);
    const fast = pages.hit(req());
    const full = expectServe(await pages.begin(req({}, { 'if-none-match': '"other"' })));
    expect(Object.entries(fast?.headers ?? {})).toEqual(Object.entries(full.headers));
    expect(fast?.headers.etag).toBe('"1"');
    expect(fast?.headers['x-trace']).toBeUndefined();
    expect(typeof replay).toBe('function');
  });

  for (const [name, value] of [
    ['authorization', 'Bearer x'],
    ['Authorization', 'Bearer x'],
    ['cookie', 'sid=1'],
    ['cache-control', 'no-cache'],
    ['pragma', 'no-cache'],
    ['if-none-match', '"x"'],
    ['if-modified-since', 'Sat, 05 Dec 2026 00:00:00 GMT'],
    ['range', 'bytes=0-1'],
    ['x-forwarded-host', 'evil.test'],
    ['x-original-url', '/admin'],
    ['x-http-method-override', 'DELETE'],
    ['transfer-encoding', 'chunked'],
    ['content-length', '3'],
    ['x-cachette-revalidate', 'forged'],
    ['Accept', 'text/html'],
  ] as const) {
    it(`leaves a request with ${name} to the full decision`, async () => {
      const { pages } = setup();
      await renderThrough(pages, req(), res('page'));
      expect(pages.hit(req())).toBeDefined();
      expect(pages.hit(req({}, { [name]: value }))).toBeUndefined();
    });
  }

  it('never answers for another value of a header the page varies on', async () => {
    const { pages } = setup();
    const lang = (value: string) => req({}, { 'accept-language': value });
    await renderThrough(pages, lang('en'), res('en', { vary: 'Accept-Language' }));
    expect(text(pages.hit(lang('en')) ?? res(''))).toBe('en');
    expect(pages.hit(lang('fr'))).toBeUndefined();
    expect(pages.hit(req())).toBeUndefined();
    await renderThrough(pages, lang('fr'), res('fr', { vary: 'Accept-Language' }));
    expect(text(pages.hit(lang('fr')) ?? res(''))).toBe('fr');
    expect(text(pages.hit(lang('en')) ?? res(''))).toBe('en');
    // a value made to look like two: kept apart by the length prefix
    expect(pages.hit(req({}, { 'accept-language': '2:en|' }))).toBeUndefined();
  });

  it('follows the Vary list the origin changes: the list and page remembered by identity are read again', async () => {
    const { pages, clock } = setup({}, '10s');
    const lang = (value: string) => req({}, { 'accept-language': value });
    await renderThrough(pages, req(), res('any'));
    expect(text(pages.hit(lang('en')) ?? res(''))).toBe('any');
    // the page expires; the next render says Vary: Accept-Language
    await clock.advance(10_000);
    expect(pages.hit(lang('en'))).toBeUndefined();
    await renderThrough(pages, lang('en'), res('en', { vary: 'Accept-Language' }));
    expect(text(pages.hit(lang('en')) ?? res(''))).toBe('en');
    expect([pages.hit(lang('fr')), pages.hit(req())]).toEqual([undefined, undefined]);
    // and back: the URL stops varying, one page for every value again
    await clock.advance(10_000);
    await renderThrough(pages, lang('de'), res('one'));
    expect(text(pages.hit(lang('en')) ?? res(''))).toBe('one');
    expect(text(pages.hit(req()) ?? res(''))).toBe('one');
  });

  it("a new Vary list of the same length is read again: its keys are never taken for the old list's", async () => {
    const { pages, clock } = setup({}, '10s');
    const ask = (lang: string, device: string) => req({}, { 'accept-language': lang, 'x-device': device });
    await renderThrough(pages, ask('en', 'mobile'), res('en', { vary: 'Accept-Language' }));
    expect(text(pages.hit(ask('en', 'desktop')) ?? res(''))).toBe('en');
    await clock.advance(10_000);
    await renderThrough(pages, ask('en', 'mobile'), res('mobile', { vary: 'X-Device' }));
    expect(text(pages.hit(ask('fr', 'mobile')) ?? res(''))).toBe('mobile');
    // `en` under [accept-language] and `desktop` under [x-device] would read alike: never the mobile page
    expect(pages.hit(ask('en', 'desktop'))).toBeUndefined();
  });

  it('a page stored again under the same key is sent as stored now, not as the memo last saw it', async () => {
    const { pages, clock } = setup({}, '10s');
    await renderThrough(pages, req(), res('v1'));
    expect(text(pages.hit(req()) ?? res(''))).toBe('v1');
    await clock.advance(10_000);
    await renderThrough(pages, req(), res('v2'));
    expect(text(pages.hit(req()) ?? res(''))).toBe('v2');
  });

  it('a page just stored is remembered for the first plain hit, for the values it was rendered for only', async () => {
    const { pages } = setup();
    const lang = (value: string) => req({}, { 'accept-language': value, 'user-agent': 'x' });
    await renderThrough(pages, lang('en'), res('en', { vary: 'Accept-Language' }));
    expect(pages.hit(lang('fr'))).toBeUndefined();
    expect(text(pages.hit(lang('en')) ?? res(''))).toBe('en');
    // rendered for a request the hit path does not take (a declared cookie): nothing remembered for it
    const other = setup({ varyCookies: ['lang'] });
    await renderThrough(other.pages, req({}, { cookie: 'lang=fr' }), res('fr'));
    expect(other.pages.hit(req())).toBeUndefined();
    expect(text(expectServe(await other.pages.begin(req({}, { cookie: 'lang=fr' }))))).toBe('fr');
  });

  it('keeps hosts apart for the same URL', async () => {
    const { pages } = setup();
    const at = (host: string) => req({}, { host });
    await renderThrough(pages, at('a.test'), res('a'));
    expect(pages.hit(at('b.test'))).toBeUndefined();
    await renderThrough(pages, at('b.test'), res('b'));
    expect(text(pages.hit(at('a.test')) ?? res(''))).toBe('a');
    expect(text(pages.hit(at('b.test')) ?? res(''))).toBe('b');
  });

  it('gives no stale page (begin decides what to do with it) and nothing once purged', async () => {
    const { pages, clock } = setup({ staleWhileRevalidate: '1m' }, '10s');
    await renderThrough(pages, req(), res('v1'));
    expect(pages.hit(req())).toBeDefined();
    await clock.advance(10_000);
    expect(pages.hit(req())).toBeUndefined();
    const purged = setup();
    await renderThrough(purged.pages, req(), res('v1'));
    await purged.cache.clear();
    expect(purged.pages.hit(req())).toBeUndefined();
    expectRender(await purged.pages.begin(req()));
  });

  it("never sends another URL's page from the memory slot its own page was read from", async () => {
    const clock = manualClock();
    // room for one URL: its page and its Vary list
    const { pages } = setup({ cache: createCache({ clock, tiers: [{ store: memoryStore({ maxEntries: 2 }) }] }) });
    const at = (url: string) => req({ url });
    await renderThrough(pages, at('/a'), res('a'));
    expect(text(pages.hit(at('/a')) ?? res(''))).toBe('a');
    await renderThrough(pages, at('/b'), res('b')); // evicts /a: its slots now hold /b's entries
    expect(text(pages.hit(at('/b')) ?? res(''))).toBe('b');
    expect(pages.hit(at('/a'))).toBeUndefined();
    expectRender(await pages.begin(at('/a')));
  });

  it('keeps requests the route declares names for, hosts not allowed and HEAD-only pages out', async () => {
    const { pages } = setup({ hosts: ['example.com'] });
    await renderThrough(pages, req(), res('page'));
    expect(pages.hit(req({ varyHeaders: ['x-device'] }))).toBeUndefined();
    expect(pages.hit(req({}, { host: 'other.test' }))).toBeUndefined();
    expectPass(await pages.begin(req({}, { host: 'other.test' })));
    expect(pages.hit(req({ method: 'POST' }))).toBeUndefined();
    expect(pages.hit(req({ hasBody: true }))).toBeUndefined();
    expect(pages.hit(req({ url: '//evil' }))).toBeUndefined();
  });

  it('a stored page is served by begin through the same prebuilt response, 304s and ranges still answered', async () => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('abcdef', { etag: '"e"' }));
    expect(expectServe(await pages.begin(req({}, { 'if-none-match': '"e"' }))).status).toBe(304);
    const part = expectServe(await pages.begin(req({}, { range: 'bytes=1-2' })));
    expect([part.status, text(part), part.headers['content-range']]).toEqual([206, 'bc', 'bytes 1-2/6']);
  });
});
