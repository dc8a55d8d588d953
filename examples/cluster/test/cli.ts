import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { Fleet } from '../src/fleet.js';
import { droppedEverywhere, json } from './outage.js';

const BIN = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
const run = promisify(execFile);

/** Runs the built `cachette` bin as its own process against the fleet's Redis; resolves to its exit code and JSON answer. */
export async function cachette(where: string[], ...argv: string[]): Promise<{ code: number; answer: Record<string, unknown> }> {
  const args = [BIN, ...argv, ...where, '--namespace', 'shop', '--channel', 'shop:bus', '--json'];
  try {
    const { stdout } = await run(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
    return { code: 0, answer: JSON.parse(stdout) as Record<string, unknown> };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, answer: JSON.parse(failed.stdout || '{}') as Record<string, unknown> };
  }
}

/** Puts a tagged key in every worker's memory (through worker 0, read by each). */
async function keyEverywhere(fleet: Fleet): Promise<string> {
  const key = randomUUID();
  await json(`${fleet.workerUrls[0]}/kv/${key}`, { method: 'PUT', body: 'v', headers: { 'content-type': 'text/plain' } });
  for (const url of fleet.workerUrls) expect(await json(`${url}/kv/${key}`)).toEqual({ value: 'v', inMemory: true });
  return key;
}

const cacheStatus = async (url: string) => (await fetch(url)).headers.get('cache-status') ?? '';

/**
 * The operator's tool against the running fleet: `stats` sees the shop and its 4 bus listeners;
 * `purge --tag` and `clear` drop keys from every worker's memory; `purge --url` drops a page
 * served through nginx, so that the next request renders it again.
 */
export async function cliAgainstFleet(fleet: Fleet, where: string[]): Promise<void> {
  // the shop's namespace holds keys in Redis (the CLI refuses a namespace that holds none)
  const tagged = await keyEverywhere(fleet);
  const stats = await cachette(where, 'stats');
  expect(stats.answer).toMatchObject({ ok: true });
  expect(stats.code).toBe(0);
  expect(stats.answer).toMatchObject({ ok: true, bus: { channel: 'shop:bus', listeners: fleet.workerUrls.length } });
  expect(JSON.stringify(stats.answer.namespaces)).toContain('shop@1');

  const purged = await cachette(where, 'purge', '--tag', 'kv');
  expect(purged).toMatchObject({ code: 0, answer: { ok: true, command: 'purge', tags: ['kv'] } });
  await droppedEverywhere(fleet, `kv:${tagged}`, performance.now(), 5_000);
  for (const url of fleet.workerUrls) expect(await json(`${url}/kv/${tagged}`)).toEqual({ value: null, inMemory: false });

  const page = `${fleet.url}/products/3?cli=${randomUUID().slice(0, 8)}`;
  await fetch(page);
  // served from the cache by every worker now: a hit, or the stored render waited for (collapsed)
  for (let i = 0; i < 2 * fleet.workerUrls.length; i++) expect(await cacheStatus(page)).toMatch(/; hit|; collapsed/);
  expect((await cachette(where, 'purge', '--url', page)).code).toBe(0);
  // gone from Redis and from every worker's memory: whichever worker nginx picks renders it again
  expect(await cacheStatus(page)).toMatch(/fwd=uri-miss; stored/);

  const cleared = await keyEverywhere(fleet);
  expect((await cachette(where, 'clear')).code).toBe(0);
  await droppedEverywhere(fleet, `kv:${cleared}`, performance.now(), 5_000);
  for (const url of fleet.workerUrls) expect(await json(`${url}/kv/${cleared}`)).toEqual({ value: null, inMemory: false });
}
