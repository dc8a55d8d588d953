import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { have, Servers } from '../../../packages/redis/test/helpers/servers.js';
import { type Fleet, startFleet } from '../src/fleet.js';
import { json } from './outage.js';
import { freePorts } from './ports.js';

// beside cluster.test.ts (PORT..PORT+4) and failover.test.ts (PORT+10..PORT+14), in parallel with them
const PORT = Number(process.env.CACHETTE_EXAMPLE_CLUSTER_PORT ?? 18300) + 20;

interface SwrStats {
  pid: number;
  swr: { renders: number; refreshes: number; refreshesDone: number };
}

interface Answer {
  worker: number;
  cacheStatus: string;
  body: { page: string; by: number; render: number; at: number };
}

/**
 * Four node:cluster workers on one shared port, on Redis: a stale page's background refresh is a
 * loopback request to that port, so the primary hands it to another worker. With the fleet's
 * `revalidationSecret` it is accepted there and the page is refreshed once; without (each
 * worker's own secret) it is refused; a forged token is refused.
 */
describe.skipIf(!have('nginx') || !have('redis-server'))('examples/cluster: SWR pages across workers sharing one port', () => {
  const servers = new Servers();
  let fleet: Fleet;
  beforeAll(async () => {
    const [redisPort, sharedPort] = (await freePorts(2)) as [number, number];
    servers.start(redisPort);
    fleet = await startFleet({ redisUrl: `redis://127.0.0.1:${redisPort}`, port: PORT, workers: 4, sharedPort });
  }, 180_000);
  afterAll(async () => {
    await fleet?.stop();
    servers.stop();
  }, 30_000);

  /** A request on a new connection (node:cluster's primary hands each to the next worker in turn). */
  const get = (path: string, headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      request(`${fleet.sharedUrl}${path}`, { headers, agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new Error(`${path}: ${response.statusCode}`));
          resolve({
            worker: Number(response.headers['x-worker']),
            cacheStatus: String(response.headers['cache-status'] ?? ''),
            body: JSON.parse(text) as Answer['body'],
          });
        });
      })
        .on('error', reject)
        .end();
    });
  const swrTotals = async () => {
    const all = await Promise.all(fleet.workerUrls.map((url) => json<SwrStats>(`${url}/stats`)));
    return new Map(all.map((w) => [w.pid, w.swr]));
  };
  const refreshesSince = (before: Map<number, SwrStats['swr']>, after: Map<number, SwrStats['swr']>) =>
    new Map(
      [...after].map(([pid, swr]): [number, number] => [pid, swr.refreshes - (before.get(pid)?.refreshes ?? 0)]).filter(([, n]) => n !== 0),
    );

  /**
   * The page's one stale hit, which starts its background refresh: asked for once its 1 s of
   * freshness has passed (real processes share no clock to move), and checked to be a stale hit.
   */
  async function staleHit(path: string, rendered: Answer): Promise<Answer> {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, rendered.body.at + 1_300 - Date.now())));
    const answer = await get(path);
    expect(answer.body).toEqual(rendered.body);
    expect(answer.cacheStatus).toMatch(/; hit; ttl=(-|0$)/);
    return answer;
  }

  /** Polls the workers' counters until `done` says so; resolves to the refreshes each ran since `before`. */
  async function refreshesUntil(before: Map<number, SwrStats['swr']>, done: (all: SwrStats['swr'][]) => boolean) {
    for (;;) {
      const now = await swrTotals();
      if (done([...now.values()])) return refreshesSince(before, now);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const sumOf = (all: SwrStats['swr'][], field: keyof SwrStats['swr']) => all.reduce((n, w) => n + w[field], 0);

  it('with the fleet secret: a refresh that lands on another worker is taken, and the page is refreshed once', async () => {
    const path = `/swr/${randomUUID()}`;
    const first = await get(path);
    const before = await swrTotals();
    const stale = await staleHit(path, first);
    // the refresh ran where it landed, and was answered (stored before that)
    const done = sumOf([...before.values()], 'refreshesDone');
    const refreshes = await refreshesUntil(before, (all) => sumOf(all, 'refreshesDone') > done);
    const refreshed = await get(path);
    console.info(
      `[cluster swr] stale hit answered by worker ${stale.worker}; the refresh ran on ${[...refreshes.keys()].join(', ')}; new page by ${refreshed.body.by}`,
    );
    expect([...refreshes.values()]).toEqual([1]);
    const [refresher] = [...refreshes.keys()];
    expect(refresher).not.toBe(stale.worker);
    expect(refreshed.body.by).toBe(refresher);
    expect(refreshed.cacheStatus).toMatch(/; hit; ttl=/);
    expect(refreshed.body).not.toEqual(first.body);
  }, 60_000);

  it("with each worker's own secret: a refresh that lands on another worker is refused, the page is not refreshed", async () => {
    const path = `/swr-own/${randomUUID()}`;
    const first = await get(path);
    const before = await swrTotals();
    const stale = await staleHit(path, first);
    // the refresh reached another worker, which rendered it as a pass: never stored
    const done = sumOf([...before.values()], 'refreshesDone');
    const refreshes = await refreshesUntil(before, (all) => sumOf(all, 'refreshesDone') > done);
    expect([...refreshes.values()]).toEqual([1]);
    expect([...refreshes.keys()]).not.toContain(stale.worker);
    const again = await get(path);
    expect(again.body).toEqual(first.body);
    expect(again.cacheStatus).toMatch(/; hit; ttl=(-|0$)/);
  }, 60_000);

  it('a forged refresh token is refused: answered as a pass, never stored, the page unchanged', async () => {
    const path = `/swr/${randomUUID()}`;
    const first = await get(path);
    const forged = await get(path, { 'x-cachette-revalidate': 'forged' });
    expect(forged.cacheStatus).not.toMatch(/stored/);
    expect(forged.body).not.toEqual(first.body);
    const after = await get(path);
    expect(after.body).toEqual(first.body);
  }, 60_000);
});
