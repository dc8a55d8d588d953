import { request } from 'node:http';
import type { PageResponse } from '@cachette/core';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { captureResponse } from '../src/capture.js';
import { fakeCapture, listen, sleep } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** An app whose one route captures with `capture` and then runs `handler`. */
async function serve(capture: ReturnType<typeof fakeCapture>['capture'], handler: RequestHandler, before?: RequestHandler) {
  const app = express();
  const seen: { res?: express.Response } = {};
  if (before) app.use(before);
  app.get(
    '/',
    (req, res, next) => {
      seen.res = res;
      captureResponse(res, capture, { head: req.method === 'HEAD', passThrough: () => false });
      next();
    },
    handler,
  );
  const server = await listen(app.listen(0, '127.0.0.1'));
  close = server.close;
  return { url: server.url, seen };
}

describe('captureResponse (express)', () => {
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

  it('captures writeHead status, reason, repeated headers, and headers set by earlier middleware', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(
      capture,
      (_req, res) => {
        res.writeHead(201, 'Made', ['x-a', '1', 'X-A', '2', 'x-b', '3']);
        res.end('ok');
      },
      (_req, res, next) => {
        res.setHeader('x-early', 'yes');
        next();
      },
    );
    const response = await fetch(url);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    const finished = calls.finish[0] as PageResponse;
    expect(finished.status).toBe(201);
    expect(finished.headers['x-a']).toEqual(['1', '2']);
    expect(finished.headers['x-b']).toBe('3');
    expect(finished.headers['x-early']).toBe('yes');
    expect(finished.headers['x-powered-by']).toBe('Express');
  });

  it('removes headers the core dropped', async () => {
    const { capture } = fakeCapture(1024, (r) => {
      const { 'x-secret': _dropped, ...headers } = r.headers;
      return { ...r, headers };
    });
    const { url } = await serve(capture, (_req, res) => {
      res.set('x-secret', '1').set('x-kept', '2').send('body');
    });
    const response = await fetch(url);
    expect(response.headers.get('x-secret')).toBeNull();
    expect(response.headers.get('x-kept')).toBe('2');
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
    expect(calls.finish).toHaveLength(0);
  });

  it('a single end() past the limit is delivered whole', async () => {
    const { capture, calls } = fakeCapture(10);
    const { url } = await serve(capture, (_req, res) => {
      res.send('x'.repeat(50));
    });
    const response = await fetch(url);
    expect(await response.text()).toBe('x'.repeat(50));
    expect(response.headers.get('content-length')).toBe('50');
    expect(calls.overflow).toBe(1);
  });

  it('flushHeaders() streams the response (server-sent events)', async () => {
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
    expect(calls.overflow).toBe(1);
    expect(calls.finish).toHaveLength(0);
  });

  it('a client that leaves before the page is complete fails the capture', async () => {
    const { capture, calls } = fakeCapture(1024);
    const { url } = await serve(capture, async (_req, res) => {
      res.write('partial');
      await sleep(200);
      res.end('late');
    });
    await new Promise<void>((resolve) => {
      const req = request(url, { agent: false });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    await sleep(300);
    expect(calls.fail).toHaveLength(1);
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
