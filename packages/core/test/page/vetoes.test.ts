import { describe, expect, it } from 'vitest';
import { judgeRequest, judgeResponse } from '../../src/pages.js';
import { expectPass, expectRender, isStored, req, res, setup, text } from './helpers.js';

describe('response vetoes: sent unchanged, never stored', () => {
  it.each([
    [{ 'set-cookie': 'sid=1' }],
    [{ 'Set-Cookie': ['a=1', 'b=2'] }],
    [{ 'SET-COOKIE': '' }],
    [{ connection: 'set-cookie', 'set-cookie': 'sid=1' }],
    [{ 'cache-control': 'private' }],
    [{ 'cache-control': 'Private' }],
    [{ 'cache-control': ' private ,' }],
    [{ 'cache-control': 'public, private' }],
    [{ 'cache-control': 'private="set-cookie"' }],
    [{ 'cache-control': 'no-store' }],
    [{ 'cache-control': 'NO-STORE' }],
    [{ 'Cache-Control': 'max-age=60, No-Store' }],
    [{ 'cache-control': 'no-cache' }],
    [{ 'cache-control': 'no-cache="set-cookie"' }],
    [{ 'cache-control': ['public', 'no-cache'] }],
    [{ 'cache-control': 'max-age=0' }],
    [{ 'cache-control': 's-maxage=0, max-age=60' }],
    [{ 'cache-control': 'max-age=abc' }],
    [{ 'cache-control': 'max-age="60' }],
    [{ pragma: 'no-cache' }],
    [{ vary: '*' }],
    [{ vary: 'Accept, *' }],
    [{ vary: 'Accept;q=1' }],
    [{ vary: 'Accept Encoding' }],
    [{ expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }],
    [{ expires: '0' }],
    [{ expires: 'not a date' }],
    [{ 'content-length': '3' }],
    [{ 'content-range': 'bytes 0-4/10' }],
    [{ age: '600', 'cache-control': 'max-age=60' }],
  ])('%j', async (headers) => {
    const { pages } = setup();
    const response = res('hello', headers);
    const sent = await expectRender(await pages.begin(req())).finish(response);
    expect(sent).toBe(response);
    expect(await pages.begin(req())).toMatchObject({ action: 'render' });
  });

  it.each([[201], [204], [206], [301], [302], [304], [404], [500], [502], [503]])('status %i is not stored by default', async (status) => {
    const { pages } = setup();
    expect(await isStored(pages, res('x', {}, status))).toBe(false);
  });

  it('a body over maxBodyBytes is not stored, with or without overflow()', async () => {
    const { pages } = setup({ maxBodyBytes: 4 });
    expect(await isStored(pages, res('hello'))).toBe(false);
    const second = setup({ maxBodyBytes: 10 });
    const capture = expectRender(await second.pages.begin(req()));
    expect(capture.maxBodyBytes).toBe(10);
    capture.overflow();
    const response = res('hello');
    expect(await capture.finish(response)).toBe(response);
    expect((await second.pages.begin(req())).action).toBe('render');
  });

  it('max-age wins over an Expires in the past (RFC 9111 §5.3)', async () => {
    const { pages } = setup();
    expect(await isStored(pages, res('x', { 'cache-control': 'max-age=30', expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }))).toBe(true);
  });

  it('stores a Content-Encoding body as it is', async () => {
    const { pages } = setup();
    await expectRender(await pages.begin(req())).finish(res('\u001f\u008bgz', { 'content-encoding': 'gzip', vary: 'Accept-Encoding' }));
    expect((await pages.begin(req())).action).toBe('serve');
  });

  it('judgeResponse explains its veto', () => {
    const context = { authorization: false, statuses: new Map([[200, 60_000]]), maxBodyBytes: 100, now: 0 };
    expect(judgeResponse(res('x', { 'cache-control': 'Private' }), context)).toEqual({ store: false, veto: 'cache-control' });
    expect(judgeResponse(res('x', { vary: '*' }), context)).toEqual({ store: false, veto: 'vary' });
    expect(judgeResponse(res('x'), { ...context, authorization: true })).toEqual({ store: false, veto: 'authorization' });
    expect(judgeResponse(res('x', { 'cache-control': 'must-revalidate, public' }), context)).toMatchObject({
      store: true,
      shared: true,
      noStale: true,
    });
  });
});

describe('request vetoes: pass, neither read nor written', () => {
  it.each([
    [{ hasBody: true }],
    [{ method: 'OPTIONS' }],
    [{ method: 'get' }],
    [{ url: 'http://evil.com/page' }],
    [{ url: '//evil.com/page' }],
    [{}, { 'x-http-method-override': 'DELETE' }],
    [{}, { 'X-HTTP-Method': 'PUT' }],
    [{}, { 'x-method-override': 'PATCH' }],
    [{}, { 'content-length': '5' }],
    [{}, { 'transfer-encoding': 'chunked' }],
    [{}, { 'cache-control': 'no-store' }],
    [{}, { 'Cache-Control': 'NO-STORE' }],
    [{}, { range: 'bytes=0-1,3-4' }],
    [{}, { range: 'bytes=0-1', 'if-range': '"x"' }],
    [{}, { 'if-match': '"a"' }],
    [{}, { 'if-unmodified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' }],
    [{}, { cookie: 'sessionid=abc' }],
    [{}, { host: 'evil.com/x' }],
  ])('%j %j', async (overrides, headers = {}) => {
    const { pages } = setup();
    await isStored(pages, res('cached'));
    const decision = await pages.begin(req(overrides, headers));
    expectPass(decision);
  });

  it('judgeRequest names the veto', () => {
    // issue 8 item 1: a request's no-cache counts only with honorClientNoCache
    const opts = { trustProxy: false, hosts: undefined, sortQuery: false, varyCookies: [], honorClientNoCache: true };
    expect(judgeRequest(req({}, { pragma: 'no-cache' }), { ...opts, honorClientNoCache: false })).toMatchObject({ noCache: false });
    expect(judgeRequest(req({}, { cookie: 'a=1' }), opts)).toMatchObject({ cacheable: false, veto: 'cookies' });
    expect(judgeRequest(req({ method: 'DELETE' }), opts)).toMatchObject({
      cacheable: false,
      veto: 'method',
      invalidates: { host: 'example.com' },
    });
    expect(judgeRequest(req({ method: 'OPTIONS' }), opts)).toMatchObject({ cacheable: false, invalidates: undefined });
    expect(judgeRequest(req({}, { pragma: 'no-cache' }), opts)).toMatchObject({ cacheable: true, noCache: true });
    expect(judgeRequest(req({}, { pragma: 'no-cache', 'cache-control': 'max-age=0' }), opts)).toMatchObject({
      cacheable: true,
      noCache: false,
    });
  });

  it('with honorClientNoCache, a request with no-cache renders and stores afresh (RFC 9111 §5.2.1.4)', async () => {
    const { pages } = setup({ cacheStatus: 'c', honorClientNoCache: true });
    await isStored(pages, res('v1'));
    for (const headers of [{ 'cache-control': 'no-cache' }, { pragma: 'no-cache' }]) {
      const sent = await expectRender(await pages.begin(req({}, headers))).finish(res('v2'));
      expect(sent.headers['cache-status']).toBe('c; fwd=request; stored');
    }
    const hit = await pages.begin(req());
    expect(hit.action === 'serve' && text(hit.response)).toBe('v2');
  });
});
