import { describe, expect, it } from 'vitest';
import { formatHttpDate } from '../../src/http.js';
import { expectRender, expectServe, isStored, renderThrough, req, res, setup } from './helpers.js';

describe('targeted cache control (RFC 9213): Cachette-Cache-Control, then CDN-Cache-Control, over Cache-Control', () => {
  it.each([
    ['max-age=0', { 'cdn-cache-control': 'max-age=0', 'cache-control': 'max-age=3600' }],
    ['private', { 'cdn-cache-control': 'private', 'cache-control': 'max-age=3600' }],
    ['no-cache', { 'cdn-cache-control': 'no-cache', 'cache-control': 'max-age=3600' }],
    ['no-store', { 'cdn-cache-control': 'no-store', 'cache-control': 'max-age=3600' }],
    ['an Age past its max-age', { 'cdn-cache-control': 'max-age=3600', age: '7200' }],
    ['max-age=0 on Cachette-Cache-Control', { 'cachette-cache-control': 'max-age=0', 'cdn-cache-control': 'max-age=3600' }],
  ])('CDN-Cache-Control %s keeps a page Cache-Control calls fresh out of the cache', async (_name, headers) => {
    expect(await isStored(setup().pages, res('x', headers))).toBe(false);
  });

  it.each([
    ['Cache-Control: no-store', { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=3600' }],
    ['Cache-Control: private', { 'cache-control': 'private', 'cachette-cache-control': 'max-age=3600' }],
    ['a past Expires', { 'cdn-cache-control': 'max-age=3600', expires: formatHttpDate(Date.now() - 10_000_000) }],
    ['an invalid Expires', { 'cdn-cache-control': 'max-age=3600', expires: '0' }],
  ])('a fresh targeted field stores the page despite %s, which is meant for other caches', async (_name, headers) => {
    expect(await isStored(setup().pages, res('x', headers))).toBe(true);
  });

  it('the targeted max-age decides freshness, shorter or longer than Cache-Control', async () => {
    const short = setup();
    await renderThrough(short.pages, req(), res('x', { 'cache-control': 'max-age=3600', 'cdn-cache-control': 'max-age=1' }));
    await short.clock.advance(2_000);
    expectRender(await short.pages.begin(req()));
    const long = setup();
    await renderThrough(long.pages, req(), res('x', { 'cache-control': 'max-age=1', 'cdn-cache-control': 'max-age=30' }));
    await long.clock.advance(2_000);
    expect(expectServe(await long.pages.begin(req())).headers.age).toBe('2');
  });

  it('Cachette-Cache-Control wins over CDN-Cache-Control', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('x', { 'cachette-cache-control': 'max-age=30', 'cdn-cache-control': 'max-age=1' }));
    await clock.advance(2_000);
    expectServe(await pages.begin(req()));
  });

  it('an invalid targeted field is ignored: Cache-Control decides', async () => {
    expect(await isStored(setup().pages, res('x', { 'cdn-cache-control': 'max-age=3600a', 'cache-control': 'no-store' }))).toBe(false);
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('x', { 'cdn-cache-control': 'Max-Age=3600', 'cache-control': 'max-age=1' }));
    await clock.advance(2_000);
    expectRender(await pages.begin(req()));
  });

  it('the route TTL still caps a targeted max-age', async () => {
    const { pages, clock } = setup({}, '10s');
    await renderThrough(pages, req(), res('x', { 'cdn-cache-control': 'max-age=3600' }));
    await clock.advance(11_000);
    expectRender(await pages.begin(req()));
  });
});
