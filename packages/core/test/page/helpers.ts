import { expect } from 'vitest';
import { type Cache, createCache, type ManualClock, manualClock, type PageCacheOptions } from '../../src/index.js';
import {
  createPageCache,
  type PageCache,
  type PageCapture,
  type PageDecision,
  type PageRequest,
  type PageResponse,
} from '../../src/pages.js';
import type { Duration } from '../../src/time/duration.js';

export interface Setup {
  clock: ManualClock;
  cache: Cache;
  pages: PageCache;
  errors: unknown[];
}

/**
 * A page cache on its own memory cache and a manual clock, which the page cache takes from its
 * cache; errors reported to `onError` are collected.
 */
export function setup(options: PageCacheOptions = {}, ttl: Duration = '1m'): Setup {
  const clock = manualClock();
  const cache = options.cache ?? createCache({ clock });
  const errors: unknown[] = [];
  const pages = createPageCache(ttl, { cache, onError: (e) => errors.push(e), ...options });
  return { clock, cache, pages, errors };
}

export function req(overrides: Partial<PageRequest> = {}, headers: PageRequest['headers'] = {}): PageRequest {
  return {
    method: 'GET',
    url: '/page',
    secure: false,
    hasBody: false,
    ...overrides,
    headers: { host: 'example.com', ...headers, ...overrides.headers },
  };
}

export function res(body = 'hello', headers: PageResponse['headers'] = {}, status = 200): PageResponse {
  return { status, headers: { 'content-type': 'text/html', ...headers }, body: new TextEncoder().encode(body) };
}

export const text = (response: PageResponse): string => new TextDecoder().decode(response.body);

export function expectRender(decision: PageDecision): PageCapture {
  expect(decision.action).toBe('render');
  if (decision.action !== 'render') throw new Error('not a render');
  return decision.capture;
}

export function expectServe(decision: PageDecision): PageResponse {
  expect(decision.action).toBe('serve');
  if (decision.action !== 'serve') throw new Error('not a serve');
  return decision.response;
}

export function expectPass(decision: PageDecision): void {
  expect(decision.action).toBe('pass');
}

/** begin → render → finish; returns what the adapter would send. */
export async function renderThrough(pages: PageCache, request: PageRequest, response: PageResponse): Promise<PageResponse> {
  const capture = expectRender(await pages.begin(request));
  return capture.finish(response);
}

/** Renders once and checks that the next identical request is a hit (true) or not (false). */
export async function isStored(pages: PageCache, response: PageResponse, request: PageRequest = req()): Promise<boolean> {
  await renderThrough(pages, request, response);
  return (await pages.begin(request)).action === 'serve';
}

/** Lets pending promise callbacks and I/O run. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts begin() and tells whether it has settled yet. */
export function track(promise: Promise<PageDecision>): { decision?: PageDecision } {
  const state: { decision?: PageDecision } = {};
  promise.then((decision) => {
    state.decision = decision;
  });
  return state;
}
