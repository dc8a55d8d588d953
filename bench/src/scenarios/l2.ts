import { type Latency, type LatencyTask, measureLatency } from '../measure.js';
import { bentocacheRedisPeer } from '../peers/bentocache.js';
import { cachetteRedisPeer } from '../peers/cachette.js';
import type { Peer } from '../peers/peer.js';
import { redisClientPeer } from '../peers/redis-client.js';
import type { Item } from '../workload.js';

/**
 * Scenario 3: a hit on Redis, one awaited call at a time. The raw client reads the very keys
 * (and bytes) cachette wrote, so the difference is cachette's own work. Every key this run
 * writes carries `runId` (see `removeRunKeys`).
 */
export async function runL2(url: string, runId: string, items: readonly Item[], rounds: number): Promise<Latency[]> {
  const raw = await redisClientPeer(url);
  const peers: Peer[] = [cachetteRedisPeer(url, `cachette-${runId}`), bentocacheRedisPeer(url, `bento-${runId}`)];
  const [cachette, bento] = peers as [Peer, Peer];
  const keys = items.map((item) => item.key);
  try {
    for (const peer of peers) await peer.fill(items);
    const rawKeys = await cachetteRedisKeys(raw, runId, keys);
    const tasks: LatencyTask[] = [
      { id: raw.id, name: raw.name, keys: rawKeys, call: raw.get },
      {
        id: 'redis-client-parse',
        name: '@redis/client GET + JSON.parse',
        keys: rawKeys,
        call: async (key) => JSON.parse((await raw.get(key)) as string),
      },
      { id: cachette.id, name: cachette.name, keys, call: cachette.get },
      { id: bento.id, name: bento.name, keys, call: bento.get },
    ];
    const hits = await Promise.all(tasks.map(async (task) => (await task.call(task.keys[0] as string)) !== undefined));
    if (hits.includes(false)) throw new Error(`L2: a first read missed (${tasks.filter((_, i) => !hits[i]).map((t) => t.name)})`);
    return await measureLatency(tasks, rounds);
  } finally {
    await Promise.all(peers.map((peer) => peer.close()));
    await raw.close();
  }
}

/**
 * The Redis keys under which cachette stored `keys`, in the same order. Found by scanning its
 * namespace rather than by copying core's key layout, which may change.
 */
async function cachetteRedisKeys(
  raw: Awaited<ReturnType<typeof redisClientPeer>>,
  runId: string,
  keys: readonly string[],
): Promise<string[]> {
  const found = await raw.scan(`*cachette-${runId}*`);
  return keys.map((key) => {
    const redisKey = found.find((candidate) => candidate.endsWith(`k:${key}`));
    if (!redisKey) throw new Error(`L2: cachette's Redis key for ${key} not found (scanned ${found.length} keys)`);
    return redisKey;
  });
}
