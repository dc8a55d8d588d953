import { once } from 'node:events';
import { request, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CachetteError, ErrorCode } from '../../src/index.js';
import { addVary, beforeHeaders, captureResponse } from '../../src/node.js';
import type { PageResponse } from '../../src/pages.js';
import { fakeCapture, type Handler, listen, sleep } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A bare Node server that captures each response with `capture`, then runs `handler`. */
async function serve(
  capture: ReturnType<typeof fakeCapture>['capture'],
  handler: Handler,
  options: { before?: Handler; passThrough?: () => boolean } = {},
) {
  const seen: { res?: ServerResponse } = {};
  const server = await listen(async (req, res) => {
    seen.res = res;
    await options.before?.(req, res);
    captureResponse(res, capture, { head: req.method === 'HEAD', passThrough: options.passThrough });
    await handler(req, res);
  });
  close = server.close;
  return { url: server.url, seen };
}

describe('captureResponse', () => {
  it('the handler reads the capture’s header view as req.headers; the request’s own are back once the capture ends', async () => {
    const { capture } = fakeCapture(1024);
    const view = { host: 'a.test', 'if-none-match': '"v1"' };
    let during: unknown;
    let request: { headers: Record<string, unknown> } = { headers: {} };
    const { url } = await serve({ ...capture, headerView: view }, (req, res) => {
      request = req;
      during = req.headers['if-none-match'];
      res.end('page');
    });
    expect(await (await fetch(url)).text()).toBe('page');
    expect(during).toBe('"v1"');
    expect(request.headers).not.toBe(view);
    expect(request.headers['if-none-match']).toBeUndefined();
  });

  it('buffers strings in any encoding, Buffers and Uint8Arrays, and sends what finish returns', async () => {
    const { capture, calls } = fakeCapture(1024, (r) => ({ ...r, status: 203, body: Buffer.from('replaced') }));
    const { url, seen } = await serve(capture, (_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.write('aGVs', 'base64');
      res.write(Buffer.from('lo '));
      res.write(new Uint8Array([0x77, 0x6f]));
      res.end('rld', 'latin1');
    });
    const response = await fetch(url);
    expect(response.status).toBe(203);
    expect(await response.text()).toBe('replaced');
    expect(calls.finish).toHaveLength(1);
    expect(Buffer.from(calls.finish[0]!.body).toString()).toBe('hello world');
    expect(calls.finish[0]!.status).toBe(200);
    expect(calls.finish[0]!.headers['content-type']).toBe('text/plain');
    // the patch was on this response object only, and is gone
    for (const name of ['writeHead', 'write', 'end', 'flushHeaders']) expect(Object.hasOwn(seen.res!, name)).toBe(false);
  });

  it('captures writeHead status, reason, repeated headers, and headers set before the capture', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(
      capture,
      (_req, res) => {
        res.writeHead(201, 'Made', ['x-a', '1', 'X-A', '2', 'x-b', '3']);
        res.end('ok');
      },
      { before: (_req, res) => void res.setHeader('x-early', 'yes') },
    );
    const response = await fetch(url);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    const finished = calls.finish[0] as PageResponse;
    expect(finished.status).toBe(201);
    expect(finished.headers['x-a']).toEqual(['1', '2']);
    expect(finished.headers['x-b']).toBe('3');
    expect(finished.headers['x-early']).toBe('yes');
  });

  it('captures writeHead(status, undefined, headers) as Node reads it: the headers count', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(capture, (_req, res) => {
      (res.writeHead as (...args: unknown[]) => unknown)(200, undefined, { 'x-third': 'yes' });
      res.end('ok');
    });
    const response = await fetch(url);
    expect(response.headers.get('x-third')).toBe('yes');
    expect((calls.finish[0] as PageResponse).headers['x-third']).toBe('yes');
  });

  it('runs header hooks before handing the response to the core', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(
      capture,
      (_req, res) => {
        res.setHeader('vary', 'Accept-Encoding');
        res.end('ok');
      },
      { before: (_req, res) => beforeHeaders(res, () => addVary(res, ['Accept-Language'])) },
    );
    expect((await fetch(url)).headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
    expect(calls.finish[0]!.headers.vary).toBe('Accept-Encoding, Accept-Language');
  });

  it('removes headers the core dropped', async () => {
    const { capture } = fakeCapture(1024, (r) => {
      const { 'x-secret': _dropped, ...headers } = r.headers;
      return { ...r, headers };
    });
    const { url } = await serve(capture, (_req, res) => {
      res.setHeader('x-secret', '1');
      res.setHeader('x-kept', '2');
      res.end('body');
    });
    const response = await fetch(url);
    expect(response.headers.get('x-secret')).toBeNull();
    expect(response.headers.get('x-kept')).toBe('2');
  });

  it('answers a HEAD without the body', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(capture, (_req, res) => {
      res.setHeader('content-length', '4');
      res.end('body');
    });
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.headers.get('content-length')).toBe('4');
    expect(await response.text()).toBe('');
    expect(calls.finish).toHaveLength(1);
  });

  it('past maxBodyBytes: overflow once, then the whole body streams through; finish is not called', async () => {
    const { capture, calls } = fakeCapture(10);
    const { url } = await serve(capture, async (_req, res) => {
      for (let i = 0; i < 3; i++) {
        res.write(Buffer.alloc(8, 65 + i));
        await sleep(5);
      }
      res.end('!');
    });
    const body = await (await fetch(url)).text();
    expect(body).toBe(`${'A'.repeat(8)}${'B'.repeat(8)}${'C'.repeat(8)}!`);
    expect(calls.overflow).toBe(1);
    expect(calls.abandon).toBe(0);
    expect(calls.finish).toHaveLength(0);
  });

  it('a single end() past the limit is delivered whole', async () => {
    const { capture, calls } = fakeCapture(10);
    const { url } = await serve(capture, (_req, res) => {
      res.setHeader('content-length', '50');
      res.end('x'.repeat(50));
    });
    const response = await fetch(url);
    expect(await response.text()).toBe('x'.repeat(50));
    expect(response.headers.get('content-length')).toBe('50');
    expect(calls.overflow).toBe(1);
  });

  it('flushHeaders() abandons the capture and streams the response (server-sent events)', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(capture, async (_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.flushHeaders();
      res.write('data: 1\n\n');
      await sleep(5);
      res.end('data: 2\n\n');
    });
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe('data: 1\n\ndata: 2\n\n');
    expect(calls.abandon).toBe(1);
    expect(calls.overflow).toBe(0);
    expect(calls.finish).toHaveLength(0);
  });

  it('passThrough() abandons the capture at the next writeHead or write', async () => {
    for (const explicitHead of [true, false]) {
      let through = false;
      const { capture, calls } = fakeCapture(1024);
      const { url } = await serve(
        capture,
        (_req, res) => {
          through = true;
          if (explicitHead) res.writeHead(200, { 'x-streamed': 'yes' });
          res.write('a');
          res.end('b');
        },
        { passThrough: () => through },
      );
      expect(await (await fetch(url)).text()).toBe('ab');
      expect(calls.abandon).toBe(1);
      expect(calls.finish).toHaveLength(0);
      await close?.();
      close = undefined;
    }
  });

  it('a client that leaves before the page is complete fails the capture', async () => {
    const { capture, calls } = fakeCapture(1024);
    const failed = new Promise<void>((resolve) => {
      const fail = capture.fail.bind(capture);
      capture.fail = (error) => fail(error).finally(resolve);
    });
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    let ended!: () => void;
    const handlerDone = new Promise<void>((resolve) => (ended = resolve));
    const { url } = await serve(capture, async (_req, res) => {
      res.write('partial');
      wrote();
      // the handler goes on after the client left, as a slow one would
      await once(res, 'close');
      res.end('late');
      ended();
    });
    const req = request(url, { agent: false });
    req.on('error', () => undefined);
    req.end();
    await written;
    req.destroy();
    await Promise.all([failed, handlerDone]);
    expect(calls.fail).toHaveLength(1);
    expect(calls.fail[0]).toBeInstanceOf(CachetteError);
    expect(calls.fail[0]).toMatchObject({ code: ErrorCode.ResponseAborted });
    expect(String(calls.fail[0])).toMatch(/^CachetteError: \[cachette:core\]/);
    expect(calls.finish).toHaveLength(0);
  });

  it('writes after end() are ignored while the core decides', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(capture, (_req, res) => {
      res.end('once');
      res.end('twice');
      res.write('more');
    });
    expect(await (await fetch(url)).text()).toBe('once');
    expect(calls.finish).toHaveLength(1);
  });
});
