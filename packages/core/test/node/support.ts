import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { PageCapture, PageResponse } from '../../src/pages.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Listens on 127.0.0.1, port 0 (unless already listening); returns the base URL and a close(). Shared by the adapters' tests. */
export async function listenOn(
  server: Server,
): Promise<{ url: string; port: number; connections: () => Promise<number>; close: () => Promise<void> }> {
  if (!server.listening) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A bare Node server answering with `handler` (a throw destroys the response), listening as {@link listenOn}. */
export function listen(handler: Handler): ReturnType<typeof listenOn> {
  return listenOn(
    createServer((req, res) => {
      Promise.resolve(handler(req, res)).catch(() => res.destroy());
    }),
  );
}

/** A PageCapture that records what the adapter did with it. */
export function fakeCapture(maxBodyBytes: number, answer?: (response: PageResponse) => PageResponse) {
  const calls = { finish: [] as PageResponse[], overflow: 0, abandon: 0, fail: [] as unknown[] };
  const capture: PageCapture = {
    maxBodyBytes,
    async finish(response) {
      calls.finish.push(response);
      return answer ? answer(response) : response;
    },
    overflow() {
      calls.overflow++;
    },
    abandon() {
      calls.abandon++;
    },
    async fail(error) {
      calls.fail.push(error);
      return undefined;
    },
  };
  return { capture, calls };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Asks `url` twice (a render, then a hit) and checks the second is a hit of `page`; the page is then stored. */
export async function storeAndCheckHit(url: string, page: string): Promise<void> {
  await (await fetch(url)).text();
  const hit = await fetch(url);
  if (hit.headers.get('age') === null) throw new Error(`${url}: the second request is not a hit`);
  const body = await hit.text();
  if (body !== page) throw new Error(`${url}: the hit is not the page (${body})`);
}

/** Expects `url` to answer a hit of `page` (status 200, an `Age`); the response, its body read. */
export async function expectHit(url: string, page: string): Promise<Response> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('age')).not.toBeNull();
  expect(await response.text()).toBe(page);
  return response;
}

/** The error code a GET of `url` ends with (the connection was reset), or `undefined` when a response came. */
export async function resetCode(url: string): Promise<string | undefined> {
  const req = request(url);
  req.end();
  const [outcome] = await Promise.race([once(req, 'error'), once(req, 'response').then(() => [undefined])]);
  return (outcome as NodeJS.ErrnoException | undefined)?.code;
}

/** HEAD of a stored `page` at `url`: no body, its length, an `Age`; then its ETag in If-None-Match: a 304 with `Age`. Both carry `header`. */
export async function expectHeadAndNotModified(url: string, page: string, header: [string, string]): Promise<void> {
  const head = await fetch(url, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(page)));
  expect(head.headers.get('age')).not.toBeNull();
  expect(head.headers.get(header[0])).toBe(header[1]);
  expect(await head.text()).toBe('');
  const etag = head.headers.get('etag');
  expect(etag).not.toBeNull();
  const notModified = await fetch(url, { headers: { 'if-none-match': etag as string } });
  expect(notModified.status).toBe(304);
  expect(notModified.headers.get('age')).not.toBeNull();
  expect(notModified.headers.get(header[0])).toBe(header[1]);
}

/** A hit of `page` asked with `x-user: ann` carries the cookie upstream set for it; the next hit, asked without, none. */
export async function expectCookieOnOneHit(url: string, page: string): Promise<void> {
  const mine = await fetch(url, { headers: { 'x-user': 'ann' } });
  expect(mine.headers.get('set-cookie')).toContain('sid=ann');
  expect(mine.headers.get('age')).not.toBeNull();
  expect(await mine.text()).toBe(page);
  const theirs = await expectHit(url, page);
  expect(theirs.headers.get('set-cookie')).toBeNull();
}
