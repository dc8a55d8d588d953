import { describe, expect, it } from 'vitest';
import { InvalidOptionError, purgeUrl } from '../../src/index.js';
import type { PageDecision } from '../../src/pages.js';
import { expectRender, expectServe, renderThrough, req, res, setup } from './helpers.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function storeVariants(pages: Parameters<typeof renderThrough>[0]) {
  for (const lang of ['fr', 'de']) {
    await renderThrough(pages, req({ url: '/p?x=1' }, { 'accept-language': lang }), res(lang, { vary: 'Accept-Language' }));
  }
  await renderThrough(pages, req({ url: '/other' }), res('other'));
}

async function actions(pages: Parameters<typeof renderThrough>[0]) {
  const out: string[] = [];
  for (const request of [
    req({ url: '/p?x=1' }, { 'accept-language': 'fr' }),
    req({ url: '/p?x=1', method: 'HEAD' }, { 'accept-language': 'de' }),
    req({ url: '/other' }),
  ]) {
    out.push((await pages.begin(request)).action);
  }
  return out;
}

function finish(decision: PageDecision, status: number) {
  expect(decision.action).toBe('pass');
  if (decision.action === 'pass') decision.onFinish?.(status);
}

describe('unsafe methods invalidate (RFC 9111 §4.4)', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPPATCH'])('a successful %s drops every variant of its URL', async (method) => {
    const { pages } = setup();
    await storeVariants(pages);
    finish(await pages.begin(req({ method, url: '/p?x=1', hasBody: true })), 201);
    await tick();
    expect(await actions(pages)).toEqual(['render', 'pass', 'serve']);
  });

  it.each([400, 404, 500, 503])('a %i response invalidates nothing', async (status) => {
    const { pages } = setup();
    await storeVariants(pages);
    finish(await pages.begin(req({ method: 'POST', url: '/p?x=1', hasBody: true })), status);
    await tick();
    expect(await actions(pages)).toEqual(['serve', 'serve', 'serve']);
  });

  it('a GET with a method override is treated as unsafe', async () => {
    const { pages } = setup();
    await storeVariants(pages);
    finish(await pages.begin(req({ url: '/p?x=1' }, { 'x-http-method-override': 'DELETE' })), 204);
    await tick();
    expect(await actions(pages)).toEqual(['render', 'pass', 'serve']);
  });

  it('a safe OPTIONS invalidates nothing and has no onFinish', async () => {
    const { pages } = setup();
    const decision = await pages.begin(req({ method: 'OPTIONS' }));
    expect(decision).toEqual({ action: 'pass' });
  });
});

describe('purgeUrl', () => {
  it('drops every variant of a URL, GET and HEAD, either scheme, any spelling', async () => {
    const { pages, cache } = setup();
    await storeVariants(pages);
    await purgeUrl(cache, 'https://EXAMPLE.com/p?x=1');
    expect(await actions(pages)).toEqual(['render', 'pass', 'serve']);
  });

  it('honours keyPrefix', async () => {
    const { pages, cache } = setup({ keyPrefix: 'site-a' });
    await storeVariants(pages);
    await purgeUrl(cache, 'http://example.com/p?x=1');
    expect(await actions(pages)).toEqual(['serve', 'serve', 'serve']);
    await purgeUrl(cache, 'http://example.com/p?x=1', { keyPrefix: 'site-a' });
    expect(await actions(pages)).toEqual(['render', 'pass', 'serve']);
  });

  it('rejects what is not an absolute http(s) URL', async () => {
    const { cache } = setup();
    for (const url of ['/relative', 'ftp://example.com/x', 'not a url', 'http://exa_mple.com/']) {
      await expect(purgeUrl(cache, url)).rejects.toBeInstanceOf(InvalidOptionError);
    }
  });
});

describe('route tags', () => {
  it('deleteByTag drops the pages of a route, static tags or tags(request)', async () => {
    const { pages, cache } = setup({ tags: (request) => ['products', `product:${request.params?.id}`] });
    await renderThrough(pages, req({ url: '/products/1', params: { id: '1' } }), res('1'));
    await renderThrough(pages, req({ url: '/products/2', params: { id: '2' } }), res('2'));
    await cache.deleteByTag('product:1');
    expectRender(await pages.begin(req({ url: '/products/1', params: { id: '1' } })));
    expectServe(await pages.begin(req({ url: '/products/2', params: { id: '2' } })));
    await cache.deleteByTag('products');
    expectRender(await pages.begin(req({ url: '/products/2', params: { id: '2' } })));
  });

  it('a tags function that throws or returns junk: sent, not stored, reported', async () => {
    const { pages, errors } = setup({ tags: () => [''] });
    const response = res('x');
    expect(await renderThrough(pages, req(), response)).toBe(response);
    expectRender(await pages.begin(req()));
    expect(errors).toHaveLength(1);
  });
});
