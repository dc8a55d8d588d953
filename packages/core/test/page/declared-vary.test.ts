import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/index.js';
import type { PageRequest } from '../../src/pages.js';
import { expectPass, expectRender, expectServe, renderThrough, req, res, setup, text, tick, track } from './helpers.js';

const declaring = (varyHeaders: string[], headers: PageRequest['headers'] = {}, varyCookies?: string[]): PageRequest => ({
  ...req({}, headers),
  varyHeaders,
  ...(varyCookies ? { varyCookies } : {}),
});

describe('names declared per request (varyOnHeaders / varyOnCookies)', () => {
  it('key the page and join the Vary sent, merged with the route’s own', async () => {
    const { pages } = setup({ varyHeaders: ['Accept'] });
    const sent = await renderThrough(pages, declaring(['Accept-Language'], { 'accept-language': 'fr' }), res('fr'));
    expect(sent.headers.vary).toBe('accept, accept-language');
    expectRender(await pages.begin(declaring(['Accept-Language'], { 'accept-language': 'de' })));
    expect(text(expectServe(await pages.begin(declaring(['Accept-Language'], { 'accept-language': 'fr' }))))).toBe('fr');
  });

  it('declared cookies are allowed and keyed; undeclared ones still pass', async () => {
    const { pages } = setup();
    await renderThrough(pages, declaring([], { cookie: 'lang=fr' }, ['lang']), res('fr'));
    expect(text(expectServe(await pages.begin(declaring([], { cookie: 'lang=fr' }, ['lang']))))).toBe('fr');
    expectRender(await pages.begin(declaring([], { cookie: 'lang=de' }, ['lang'])));
    expectPass(await pages.begin(req({}, { cookie: 'lang=fr' })));
  });

  it('two different declared sets for one URL render once under concurrency', async () => {
    const { pages } = setup({ cacheStatus: 'c' });
    const lead = expectRender(await pages.begin(declaring(['X-A'])));
    const other = track(pages.begin(declaring(['X-B', 'x-a'])));
    const plain = track(pages.begin(req()));
    await tick();
    expect(other.decision).toBeUndefined();
    expect(plain.decision).toBeUndefined();
    await lead.finish(res('once'));
    await tick();
    for (const waiter of [other, plain]) {
      const served = expectServe(waiter.decision!);
      expect(text(served)).toBe('once');
      expect(served.headers['cache-status']).toBe('c; fwd=miss; ttl=60; collapsed');
    }
  });

  it('once a Vary list is learned, requests declaring other names still wait on one render', async () => {
    const { pages, clock } = setup({}, '10s');
    await renderThrough(pages, declaring(['X-A']), res('v1'));
    await clock.advance(11_000);
    const lead = expectRender(await pages.begin(declaring(['X-A'])));
    const other = track(pages.begin(declaring(['X-B'])));
    await tick();
    expect(other.decision).toBeUndefined();
    await lead.finish(res('v2'));
    await tick();
    expect(text(expectServe(other.decision!))).toBe('v2');
  });

  it.each([
    ['a header name that is not a token', { varyHeaders: ['Accept Language'] }],
    ['a cookie name that is not a token', { varyCookies: ['a;b'] }],
    ['`*`', { varyHeaders: ['*'] }],
    ['not an array', { varyHeaders: 'Accept' as unknown as string[] }],
  ])('%s: the request passes and the mistake is reported, never thrown', async (_name, declared) => {
    const { pages, errors } = setup();
    expectPass(await pages.begin({ ...req(), ...declared }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvalidOptionError);
    expect(errors[0]).toMatchObject({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/^\[cachette:core\] /) });
    // the page cache itself is fine
    await renderThrough(pages, req(), res('ok'));
    expectServe(await pages.begin(req()));
  });

  it('a page whose Vary list would grow past 32 names is not stored', async () => {
    const { pages } = setup();
    const many = Array.from({ length: 33 }, (_, i) => `x-h${i}`);
    await renderThrough(pages, declaring(many), res('wide'));
    expectRender(await pages.begin(declaring(many)));
  });
});
