import { once } from 'node:events';
import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cache } from '@cachette/core';
import { createApp } from './app.js';

/** One request of the demo: what was asked, what came back, how long it took. */
export interface DemoStep {
  step: string;
  request: string;
  status: number;
  headers: Record<string, string>;
  ms: number;
}

const SHOWN = ['age', 'cache-status', 'vary', 'etag'];

/**
 * Starts the shop on a free port, makes the demo's requests — a miss, a hit with `Age`, a
 * `Vary` variant and a 304 — and stops it. Returns the steps, so that a test can check them.
 */
export async function runDemo(cache: Cache): Promise<DemoStep[]> {
  // A clean start, so that the first request is a miss whatever an earlier run left in SQLite.
  await cache.clear();
  const server = createApp(cache).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const steps: DemoStep[] = [];
  const step = async (name: string, path: string, headers: Record<string, string> = {}) => {
    const started = performance.now();
    const storedBefore = cache.stats().sets;
    const response = await request(`${base}${path}`, headers);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const shown: Record<string, string> = {};
    for (const name of SHOWN) {
      const value = response.headers[name];
      if (typeof value === 'string') shown[name] = value;
    }
    const asked = Object.entries(headers)
      .map(([k, v]) => ` ${k}: ${v}`)
      .join('');
    steps.push({ step: name, request: `GET ${path}${asked}`, status: response.status, headers: shown, ms });
    // a page is stored once its headers have gone out, after the client has it: let the write land
    if (String(response.headers['cache-status'] ?? '').includes('stored')) await until(() => cache.stats().sets >= storedBefore + 2); // the page, then its Vary list
    return response;
  };
  try {
    await step('miss', '/products/1');
    const hit = await step('hit', '/products/1');
    await step('miss', '/ua', { 'accept-language': 'en' });
    await step('variant', '/ua', { 'accept-language': 'fr' });
    await step('hit', '/ua', { 'accept-language': 'en' });
    await step('304', '/products/1', { 'if-none-match': String(hit.headers.etag ?? '*') });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return steps;
}

// node:http, not fetch: fetch adds `Cache-Control: no-cache` to conditional requests (Fetch §4.5),
// which asks every cache on the way — this one too — to render again.
function request(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** The steps as lines for a terminal. */
export function formatSteps(steps: readonly DemoStep[]): string[] {
  const width = Math.max(...steps.map((s) => s.request.length));
  return steps.map(({ step, request, status, headers, ms }) => {
    const shown = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join(' | ');
    return `${step.padEnd(8)} ${request.padEnd(width)}  ${status}  ${String(ms).padStart(6)} ms  ${shown}`;
  });
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}
