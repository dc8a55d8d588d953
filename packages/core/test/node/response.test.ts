import { afterEach, describe, expect, it } from 'vitest';
import { applyCacheControl, beforeHeaders, headerText, runHeaderHooks, writePage } from '../../src/node.js';
import { NEVER_CACHE, resolveDirectives } from '../../src/pages.js';
import { type Handler, listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function get(handler: Handler): Promise<Response> {
  const server = await listen(handler);
  close = server.close;
  return fetch(server.url);
}

describe('header hooks', () => {
  it('patch the handler’s own headers when they are written, in order, once', async () => {
    let runs = 0;
    const response = await get((_req, res) => {
      beforeHeaders(res, () => applyCacheControl(res, resolveDirectives({ public: true, maxAge: '5m' })));
      beforeHeaders(res, () => {
        runs++;
        res.setHeader('x-seen', headerText(res, 'cache-control') ?? 'none');
      });
      res.setHeader('Cache-Control', 'private, max-age=60, no-transform');
      res.writeHead(200, { 'x-own': [1, 2] as unknown as string });
      runHeaderHooks(res);
      res.end('x');
    });
    expect(response.headers.get('cache-control')).toBe('max-age=60, no-transform, public');
    expect(response.headers.get('x-seen')).toBe('max-age=60, no-transform, public');
    expect(response.headers.get('x-own')).toBe('1, 2');
    expect(runs).toBe(1);
  });

  it('applyCacheControl removes a header left empty', async () => {
    const response = await get((_req, res) => {
      res.setHeader('Cache-Control', 'public');
      applyCacheControl(res, { public: false });
      res.end();
    });
    expect(response.headers.get('cache-control')).toBeNull();
  });
});

describe('writePage', () => {
  const page = { status: 404, headers: { 'cache-control': NEVER_CACHE, 'x-page': '1' }, body: new TextEncoder().encode('gone') };

  it('keeps headers set for this request, unless told to replace them', async () => {
    for (const replace of [false, true]) {
      const response = await get((_req, res) => {
        res.setHeader('x-request', 'yes');
        writePage(res, page, res, { head: false, replace });
      });
      expect(response.status).toBe(404);
      expect(response.statusText).toBe('Not Found');
      expect(await response.text()).toBe('gone');
      expect(response.headers.get('x-page')).toBe('1');
      expect(response.headers.get('x-request')).toBe(replace ? null : 'yes');
      await close?.();
      close = undefined;
    }
  });
});
