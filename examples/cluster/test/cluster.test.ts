import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/fleet.js';
import { cliAgainstFleet } from './cli.js';
import { droppedEverywhere, json, outageUnderLoad } from './outage.js';

/** nginx and redis-server are needed; missing, the suite skips — unless CACHETTE_REQUIRE_SERVICES=1. */
function have(command: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`]).status === 0;
  if (!found && process.env.CACHETTE_REQUIRE_SERVICES === '1')
    throw new Error(`CACHETTE_REQUIRE_SERVICES=1 but ${command} is not installed`);
  return found;
}

const PORT = Number(process.env.CACHETTE_EXAMPLE_CLUSTER_PORT ?? 18300);
const REDIS_PORT = Number(process.env.CACHETTE_EXAMPLE_REDIS_PORT ?? 18399);
const WORKERS = 4;

/** A redis-server of the test's own, so that the test may kill and restart it. */
class OwnRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'cachette-cluster-redis-'));
  readonly url = `redis://127.0.0.1:${REDIS_PORT}`;
  start(): void {
    execFileSync('redis-server', [
      ...['--bind', '127.0.0.1', '--port', String(REDIS_PORT), '--daemonize', 'yes', '--save', '', '--appendonly', 'no'],
      ...['--pidfile', join(this.dir, 'redis.pid'), '--logfile', join(this.dir, 'redis.log'), '--dir', this.dir],
    ]);
    this.#waitFor((pong) => pong);
  }
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    process.kill(Number(readFileSync(join(this.dir, 'redis.pid'), 'utf8')), signal);
    rmSync(join(this.dir, 'redis.pid'), { force: true });
    this.#waitFor((pong) => !pong);
  }
  stop(): void {
    try {
      this.kill('SIGTERM');
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
  #waitFor(state: (pong: boolean) => boolean): void {
    const ping = () => spawnSync('redis-cli', ['-p', String(REDIS_PORT), 'ping'], { encoding: 'utf8' }).stdout?.includes('PONG') ?? false;
    const deadline = Date.now() + 10_000;
    while (!state(ping())) {
      if (Date.now() > deadline) throw new Error(`redis on ${REDIS_PORT} did not change state`);
      spawnSync('sleep', ['0.05']);
    }
  }
}

interface WorkerStats {
  pid: number;
  renders: number;
  loads: number;
  stats: { errors: number };
}

describe.skipIf(!have('nginx') || !have('redis-server'))('examples/cluster: 4 node:cluster workers behind nginx, on Redis', () => {
  const redis = new OwnRedis();
  let fleet: Fleet;
  const counts = async () => Promise.all(fleet.workerUrls.map((u) => json<WorkerStats>(`${u}/stats`)));
  const sum = (list: WorkerStats[], field: 'renders' | 'loads') => list.reduce((n, w) => n + w[field], 0);

  beforeAll(async () => {
    redis.start();
    fleet = await startFleet({ redisUrl: redis.url, port: PORT, workers: WORKERS });
  }, 180_000);
  afterAll(async () => {
    await fleet?.stop();
    redis.stop();
  }, 30_000);

  it('1,000 concurrent requests for one cold page: every one answered; the data loader runs once in the cluster', async () => {
    const before = await counts();
    const page = `/cold/${randomUUID()}`;
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 1_000 }, () => fetch(`${fleet.url}${page}`).then(async (r) => `${r.status} ${await r.text()}`)),
    );
    expect(new Set(answers)).toEqual(new Set([`200 <h1>cold page ${page.slice(6)}</h1>`]));
    const pageMs = performance.now() - started;
    const renders = sum(await counts(), 'renders') - sum(before, 'renders');

    const data = `/data/${randomUUID()}`;
    const dataStarted = performance.now();
    const loaded = await Promise.all(Array.from({ length: 1_000 }, () => json<{ at: number }>(`${fleet.url}${data}`)));
    const dataMs = performance.now() - dataStarted;
    const after = await counts();
    const loads = sum(after, 'loads') - sum(before, 'loads');
    const storeErrors = after.reduce((n, w) => n + w.stats.errors, 0) - before.reduce((n, w) => n + w.stats.errors, 0);
    console.info(
      `[cluster stampede] 1,000 requests through nginx: page rendered ${renders}x (${WORKERS} workers) in ${pageMs.toFixed(0)} ms, data loaded ${loads}x with the Redis lock in ${dataMs.toFixed(0)} ms; ${storeErrors} store errors`,
    );
    // the page's lead render takes the cache's Redis lock: one render in the whole cluster
    expect(renders).toBe(1);
    expect(loads).toBe(1);
    expect(new Set(loaded.map((v) => v.at)).size).toBe(1);
  }, 120_000);

  /** Puts a key in every worker's memory, purges its tag in worker 0, resolves to when each other worker dropped it. */
  async function purgeSeenAfter(): Promise<number[]> {
    const key = randomUUID();
    await json(`${fleet.url}/kv/${key}`, { method: 'PUT', body: 'hello', headers: { 'content-type': 'text/plain' } });
    for (const url of fleet.workerUrls) {
      expect(await json(`${url}/kv/${key}`)).toEqual({ value: 'hello', inMemory: true });
    }
    const started = performance.now();
    await json(`${fleet.workerUrls[0]}/purge/kv`, { method: 'POST' });
    const seen = await droppedEverywhere(fleet, `kv:${key}`, started, 5_000);
    for (const url of fleet.workerUrls) expect(await json(`${url}/kv/${key}`)).toEqual({ value: null, inMemory: false });
    return seen;
  }

  it('a purge in one worker is seen by every worker within a measured bound', async () => {
    const seen = await purgeSeenAfter();
    console.info(
      `[cluster purge] dropped from every worker's memory within ${Math.max(...seen).toFixed(1)} ms (per worker: ${seen.map((ms) => ms.toFixed(1)).join(', ')})`,
    );
    expect(Math.max(...seen)).toBeLessThan(1_000);
  }, 60_000);

  it('the cachette CLI against the running fleet: stats, purge by tag and by URL, clear', async () => {
    await cliAgainstFleet(fleet, ['--redis', redis.url]);
  }, 60_000);

  it('Redis killed and restarted under load through nginx, a tag purged meanwhile: no failed request, nothing served past its window, no worker restarted, Redis in use again within 2 s', async () => {
    await outageUnderLoad(fleet, {
      label: 'cluster redis restart',
      down: () => redis.kill(),
      up: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        redis.start();
      },
    });
    // the bus subscribed again: a purge still reaches every worker
    const seen = await purgeSeenAfter();
    console.info(`[cluster redis restart] after it, a purge reached every worker within ${Math.max(...seen).toFixed(1)} ms`);
    expect(Math.max(...seen)).toBeLessThan(1_000);
  }, 90_000);
});
