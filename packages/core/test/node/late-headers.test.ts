import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createCache } from '../../src/index.js';
import { captureResponse, nodePageRequest, writePage } from '../../src/node.js';
import { createPageCache, type PageCache } from '../../src/pages.js';
import { listen } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/**
 * What `on-headers` (express-session, cookie-session, compression) does: wraps the instance's
 * `writeHead` and changes the headers only as they go out.
 */
function onHeaders(res: ServerResponse, listener: (res: ServerResponse) => void): void {
  const previous = res.writeHead;
  let fired = false;
  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
    if (!fired) {
      fired = true;
      listener(this);
    }
    return (previous as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}

/** A Node server: a session-like middleware, then the page cache, then a handler counting calls. */
async function app(pages: PageCache, late: (res: ServerResponse, n: number) => void) {
  let calls = 0;
  const server = await listen(async (req, res) => {
    const n = calls + 1;
    onHeaders(res, (r) => late(r, n));
    const decision = await pages.begin(nodePageRequest(req));
    if (decision.action === 'serve') return writePage(res, decision.response, res, { head: false, replace: false });
    if (decision.action === 'render') captureResponse(res, decision.capture, { head: false });
    calls++;
    res.setHeader('content-type', 'text/html');
    res.end(`<input name="csrf" value="token-of-visitor-${n}">`);
  });
  close = server.close;
  return { url: server.url, calls: () => calls };
}

describe('headers added as the response goes out (Django UpdateCacheMiddleware, Varnish: never store Set-Cookie)', () => {
  it('a Set-Cookie added at writeHead keeps the page out of the cache', async () => {
    const pages = createPageCache('1m', { cache: createCache() });
    const { url, calls } = await app(pages, (res, n) => {
      if (n === 1) res.setHeader('set-cookie', 'sid=visitor-1; HttpOnly');
    });
    const first = await fetch(url);
    expect(first.headers.get('set-cookie')).toBe('sid=visitor-1; HttpOnly');
    expect(await first.text()).toContain('visitor-1');
    const second = await fetch(url);
    expect(await second.text()).toContain('visitor-2');
    expect(calls()).toBe(2);
  });

  it('a late Cache-Control: private keeps it out too; a harmless late header does not', async () => {
    const pages = createPageCache('1m', { cache: createCache() });
    const { url, calls } = await app(pages, (res, n) => {
      if (n === 1) res.setHeader('cache-control', 'private');
    });
    await (await fetch(url)).text();
    await (await fetch(url)).text();
    expect(calls()).toBe(2);
    const harmless = createPageCache('1m', { cache: createCache() });
    await close?.();
    const other = await app(harmless, (res) => res.setHeader('x-response-time', '1ms'));
    await (await fetch(other.url)).text();
    await (await fetch(other.url)).text();
    expect(other.calls()).toBe(1);
  });
});
