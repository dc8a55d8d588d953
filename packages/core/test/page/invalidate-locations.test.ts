import { describe, expect, it } from 'vitest';
import type { PageDecision, PageResponse } from '../../src/pages.js';
import { renderThrough, req, res, setup, tick } from './helpers.js';

const URLS = ['/dir/other', '/dir/third', '/elsewhere?q=1'];

async function storeAll(pages: Parameters<typeof renderThrough>[0]) {
  for (const url of URLS) await renderThrough(pages, req({ url }), res(url));
}

async function actions(pages: Parameters<typeof renderThrough>[0]) {
  const out: string[] = [];
  for (const url of URLS) out.push((await pages.begin(req({ url }))).action);
  return out;
}

async function post(pages: Parameters<typeof renderThrough>[0], status: number, headers: PageResponse['headers'], url = '/dir/form') {
  const decision: PageDecision = await pages.begin(req({ method: 'POST', url, hasBody: true }));
  expect(decision.action).toBe('pass');
  if (decision.action === 'pass') decision.onFinish?.(status, headers);
  await tick();
}

describe('a successful unsafe request also drops its Location and Content-Location URLs (RFC 9111 §4.4)', () => {
  it.each([
    ['an absolute path', { location: '/dir/other' }, ['render', 'serve', 'serve']],
    ['a relative reference', { location: 'third' }, ['serve', 'render', 'serve']],
    ['an absolute URL on the same host', { location: 'http://example.com/elsewhere?q=1' }, ['serve', 'serve', 'render']],
    ['a Content-Location', { 'content-location': '../dir/other' }, ['render', 'serve', 'serve']],
    ['both', { location: '/dir/other', 'content-location': '/dir/third' }, ['render', 'render', 'serve']],
  ])('%s', async (_name, headers, expected) => {
    const { pages } = setup();
    await storeAll(pages);
    await post(pages, 201, headers);
    expect(await actions(pages)).toEqual(expected);
  });

  it.each([
    ['another host', { location: 'http://evil.example/dir/other' }],
    ['another port', { location: 'http://example.com:8080/dir/other' }],
    ['a network-path reference to another host', { location: '//evil.example/dir/other' }],
    ['a URL that does not parse', { location: 'http://[::1' }],
    ['another scheme', { location: 'mailto:a@example.com' }],
  ])('never a URL on %s (RFC 9111 §4.4)', async (_name, headers) => {
    const { pages, errors } = setup();
    await storeAll(pages);
    await post(pages, 201, headers);
    expect(await actions(pages)).toEqual(['serve', 'serve', 'serve']);
    expect(errors).toEqual([]);
  });

  it('an error response drops nothing', async () => {
    const { pages } = setup();
    await storeAll(pages);
    await post(pages, 400, { location: '/dir/other' });
    expect(await actions(pages)).toEqual(['serve', 'serve', 'serve']);
  });

  it('adapters that give only the status still drop the request URL', async () => {
    const { pages } = setup();
    await storeAll(pages);
    const decision = await pages.begin(req({ method: 'DELETE', url: '/dir/other' }));
    if (decision.action === 'pass') decision.onFinish?.(204);
    await tick();
    expect(await actions(pages)).toEqual(['render', 'serve', 'serve']);
  });
});
