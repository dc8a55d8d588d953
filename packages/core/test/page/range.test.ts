import { describe, expect, it } from 'vitest';
import { expectPass, expectRender, expectServe, renderThrough, req, res, setup, text } from './helpers.js';

const BODY = '0123456789A';

async function stored(options = {}) {
  const s = setup({ cacheStatus: 'cachette', ...options });
  await renderThrough(s.pages, req(), res(BODY, { 'cache-control': 'max-age=3600', a: '1', etag: '"v1"' }));
  return s;
}

describe('a single byte range answered from a stored full page (RFC 9110 §14)', () => {
  it.each([
    ['bytes=0-1', '01', 'bytes 0-1/11'],
    ['bytes=1-', '123456789A', 'bytes 1-10/11'],
    ['bytes=-1', 'A', 'bytes 10-10/11'],
    ['bytes=-50', BODY, 'bytes 0-10/11'],
    ['bytes=9-50', '9A', 'bytes 9-10/11'],
    ['Bytes=2-3', '23', 'bytes 2-3/11'],
  ])('%s is a 206 from the cache', async (range, body, contentRange) => {
    const { pages } = await stored();
    const sent = expectServe(await pages.begin(req({}, { range })));
    expect(sent.status).toBe(206);
    expect(text(sent)).toBe(body);
    expect(sent.headers['content-range']).toBe(contentRange);
    expect(sent.headers['content-length']).toBe(String(body.length));
    expect(sent.headers.a).toBe('1');
    expect(sent.headers['cache-status']).toContain('hit');
  });

  it('a range past the end is a 416 with the length (RFC 9110 §15.5.17)', async () => {
    const { pages } = await stored();
    const sent = expectServe(await pages.begin(req({}, { range: 'bytes=20-' })));
    expect(sent.status).toBe(416);
    expect(sent.headers['content-range']).toBe('bytes */11');
    expect(sent.body.byteLength).toBe(0);
  });

  it('a matching If-None-Match is still a 304 (RFC 9110 §13.2.2: preconditions before Range)', async () => {
    const { pages } = await stored();
    expect(expectServe(await pages.begin(req({}, { range: 'bytes=0-1', 'if-none-match': '"v1"' }))).status).toBe(304);
  });

  it('HEAD ignores Range and is served as a HEAD', async () => {
    const { pages } = await stored();
    const sent = expectServe(await pages.begin(req({ method: 'HEAD' }, { range: 'bytes=0-1' })));
    expect([sent.status, sent.body.byteLength, sent.headers['content-length']]).toEqual([200, 0, '11']);
  });

  it.each([
    ['several ranges', { range: 'bytes=0-1,3-4' }],
    ['another unit', { range: 'items=0-1' }],
    ['a malformed range', { range: 'bytes=5-2' }],
    ['If-Range', { range: 'bytes=0-1', 'if-range': '"v1"' }],
  ])('%s is passed to the handler', async (_name, headers) => {
    const { pages } = await stored();
    expectPass(await pages.begin(req({}, headers)));
  });

  it('a range on a miss or a stale page is passed, and the full page is rendered and stored as before', async () => {
    const { pages, clock } = setup();
    expectPass(await pages.begin(req({}, { range: 'bytes=0-1' })));
    await renderThrough(pages, req(), res(BODY, { 'cache-control': 'max-age=10' }));
    await clock.advance(11_000);
    expectPass(await pages.begin(req({}, { range: 'bytes=0-1' })));
    expectRender(await pages.begin(req()));
  });
});
