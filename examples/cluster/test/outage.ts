import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { expect } from 'vitest';
import type { Fleet } from '../src/fleet.js';

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const putText = (url: string, body: string) => json(url, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } });

/** How Redis goes away and comes back: `up` resolves once Redis itself serves again. */
export interface Outage {
  label: string;
  /** How soon after `up` the shared tier must be in use again. Default 2 s. */
  backWithin?: number;
  down(): void | Promise<void>;
  up(): Promise<void>;
}

/** The worker's `/clock` value lives 1 s fresh + 1 s stale: never served older than that. */
const CLOCK_WINDOW_MS = 2_000;

/**
 * Watches `/clock` through nginx until stopped: how many answers, and how many were served past
 * their stale window (made more than 2 s before the request was even sent).
 */
function watchClock(url: string): { stop(): Promise<{ answers: number; tooOld: number[] }> } {
  let running = true;
  const tooOld: number[] = [];
  let answers = 0;
  let failed: unknown;
  // a failure is kept for `stop` to throw: a test that fails first must not leave it unhandled
  const loop = (async () => {
    while (running) {
      const sent = Date.now();
      const { at } = await json<{ at: number }>(`${url}/clock`);
      answers++;
      if (at + CLOCK_WINDOW_MS < sent) tooOld.push(sent - at);
      await sleep(20);
    }
  })().catch((error: unknown) => {
    failed = error;
  });
  return {
    stop: async () => {
      running = false;
      await loop;
      if (failed) throw failed;
      return { answers, tooOld };
    },
  };
}

/** Polls each worker until its memory no longer holds `key`; resolves to the ms each took after `since`. */
export async function droppedEverywhere(fleet: Fleet, key: string, since: number, ms = 10_000): Promise<number[]> {
  return Promise.all(
    fleet.workerUrls.map(async (url) => {
      for (;;) {
        const { inMemory } = await json<{ inMemory: boolean }>(`${url}/peek/${key}`);
        if (!inMemory) return performance.now() - since;
        if (performance.now() - since > ms) throw new Error(`${url} still holds ${key}`);
        await sleep(10);
      }
    }),
  );
}

/**
 * Redis goes away and comes back while autocannon runs through nginx, and a tag is purged in
 * one worker while it is away. Asserts: every request 2xx with no socket error, `/clock` never
 * served past its stale window, no worker restarted, the shared tier in use again within 2 s of
 * Redis being back, the purge in every worker's memory and in Redis once it is back.
 */
export async function outageUnderLoad(fleet: Fleet, outage: Outage): Promise<void> {
  const key = randomUUID();
  await putText(`${fleet.workerUrls[0]}/kv/${key}`, 'before');
  for (const url of fleet.workerUrls) expect(await json(`${url}/kv/${key}`)).toEqual({ value: 'before', inMemory: true });

  const run = autocannon({
    url: fleet.url,
    connections: 16,
    duration: 10,
    requests: [{ path: '/products/1' }, { path: '/products/2' }, { path: '/ua' }, { path: `/data/${randomUUID()}` }, { path: '/clock' }],
  });
  const clock = watchClock(fleet.url);
  await sleep(1_500);
  const downAt = performance.now();
  await outage.down();
  // purged while Redis is away: the mark, the delete and the bus message must not be lost
  await json(`${fleet.workerUrls[0]}/purge/kv`, { method: 'POST' });
  await outage.up();
  const upAt = performance.now();

  let probe = 0;
  for (;;) {
    const name = `probe${randomUUID().slice(0, 8)}${probe++}`;
    await putText(`${fleet.workerUrls[0]}/kv/${name}`, 'x');
    if ((await json<{ value: string | null }>(`${fleet.workerUrls[1]}/kv/${name}`)).value === 'x') break;
    if (performance.now() - upAt > 15_000) throw new Error(`${outage.label}: the shared tier is not in use 15 s after Redis is back`);
    await sleep(20);
  }
  const backAfter = performance.now() - upAt;
  const purgeSeen = await droppedEverywhere(fleet, `kv:${key}`, upAt);
  // and Redis holds the purge too: once its mark has landed (the worker that purged makes it again
  // when the shard answers), no worker gets the old value back from the shared tier, and one that
  // read it meanwhile (its subscription was being made again: it missed the bus message) drops it
  const purgeKept = await readEverywhere(fleet, key, upAt);

  const result = await run;
  const watched = await clock.stop();
  console.info(
    `[${outage.label}] Redis away ${(upAt - downAt).toFixed(0)} ms; ${result.requests.total} requests through nginx, ${result['2xx']} 2xx, ` +
      `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; /clock answered ${watched.answers}x, ` +
      `${watched.tooOld.length} past its stale window; shared tier in use ${backAfter.toFixed(0)} ms after Redis is back; ` +
      `the purge made while away reached every worker's memory ${Math.max(...purgeSeen).toFixed(0)} ms after, ` +
      `and every worker read it from Redis ${Math.max(...purgeKept).toFixed(0)} ms after`,
  );
  expect(result.errors).toBe(0);
  expect(result.timeouts).toBe(0);
  expect(result.non2xx).toBe(0);
  expect(result['2xx']).toBeGreaterThan(0);
  expect(watched.tooOld).toEqual([]);
  expect(fleet.primaryLog.filter((line) => line.includes('exited'))).toEqual([]);
  expect(backAfter).toBeLessThan(outage.backWithin ?? 2_000);
  expect(Math.max(...purgeSeen)).toBeLessThan(5_000);
}

/**
 * Reads `/kv/<key>` from each worker until it answers nothing and keeps nothing in memory; resolves
 * to the ms each took after `since`. Throws with the last answer past `ms`.
 */
async function readEverywhere(fleet: Fleet, key: string, since: number, ms = 5_000): Promise<number[]> {
  return Promise.all(
    fleet.workerUrls.map(async (url) => {
      for (;;) {
        const read = await json<{ value: string | null; inMemory: boolean }>(`${url}/kv/${key}`);
        if (read.value === null && !read.inMemory) return performance.now() - since;
        if (performance.now() - since > ms) expect(read, `${url} still reads the purged value`).toEqual({ value: null, inMemory: false });
        await sleep(20);
      }
    }),
  );
}
