import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cache } from '@cachette/core';
import { type Reply, send } from '@cachette/example-shop-kit/http';
import { expect } from 'vitest';

export type { Reply } from '@cachette/example-shop-kit/http';

/** A GET over real HTTP with node:http (fetch would add Cache-Control: no-cache to a conditional request). */
export function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return send(url, { headers });
}

/** Listens on a kernel-chosen port of 127.0.0.1; resolves to the base URL and a stop function. */
export async function serve(server: Server): Promise<{ base: string; stop: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls for work the server finishes after answering (a page is stored once its headers have gone out). */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The getting-started promise over real HTTP: a first request renders and is stored (miss), the second is
 * answered from the cache (hit), a conditional third gets 304. Stops the server when done.
 */
export async function missHitNotModified(server: Server, cache: Cache): Promise<void> {
  const { base, stop } = await serve(server);
  try {
    await sequence(`${base}/products/1`, cache);
  } finally {
    await stop();
  }
}

async function sequence(url: string, cache: Cache): Promise<void> {
  const setsBefore = cache.stats().sets;

  const miss = await get(url);
  expect(miss.status).toBe(200);
  expect(miss.headers['cache-status']).toMatch(/^cachette; fwd=uri-miss; stored/);
  expect(miss.headers.age).toBeUndefined();
  expect(JSON.parse(miss.text)).toMatchObject({ id: '1', name: 'Product 1' });
  await until(() => cache.stats().sets > setsBefore, 'the page to be stored');

  const hit = await get(url);
  expect(hit.status).toBe(200);
  expect(hit.headers['cache-status']).toMatch(/^cachette; hit/);
  expect(hit.headers.age).toBeDefined();
  expect(hit.text).toBe(miss.text); // renderedAt too: the handler did not run

  const etag = hit.headers.etag;
  const conditional: Record<string, string> =
    typeof etag === 'string' ? { 'if-none-match': etag } : { 'if-modified-since': String(hit.headers.date) };
  const notModified = await get(url, conditional);
  expect(notModified.status).toBe(304);
  expect(notModified.text).toBe('');
  expect(notModified.headers['cache-status']).toMatch(/^cachette; hit/);
}
