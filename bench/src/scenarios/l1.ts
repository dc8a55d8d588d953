import { type BatchTask, measureThroughput, type Throughput, type ThroughputOptions } from '../measure.js';
import { bentocacheMemoryPeer } from '../peers/bentocache.js';
import { cacheManagerPeer } from '../peers/cache-manager.js';
import { cacheablePeer } from '../peers/cacheable.js';
import { cachetteMemoryPeer } from '../peers/cachette.js';
import { lruCachePeer } from '../peers/lru-cache.js';
import type { Peer } from '../peers/peer.js';
import { countingLoader, type Item } from '../workload.js';

export interface L1Results {
  get: Throughput[];
  getOrSet: Throughput[];
}

/**
 * Scenarios 1 and 2: an in-process hit, through awaited `get` and through `getOrSet`. Every
 * library holds the same items; a batch reads all 1,000 keys once, in order.
 */
export async function runL1(items: readonly Item[], options: ThroughputOptions): Promise<L1Results> {
  const peers: Peer[] = [
    lruCachePeer(),
    cachetteMemoryPeer(),
    bentocacheMemoryPeer(false),
    bentocacheMemoryPeer(true),
    cacheablePeer(),
    cacheManagerPeer(),
  ];
  const keys = items.map((item) => item.key);
  try {
    for (const peer of peers) await peer.fill(items);
    const get = await measureThroughput(
      peers.map((peer) => batch(peer, keys.length, () => peer.getAll(keys))),
      options,
    );
    const loader = countingLoader({ ...(items[0] as Item).value });
    const getOrSet = await measureThroughput(
      peers.flatMap((peer) =>
        peer.getOrSetAll ? [batch(peer, keys.length, () => peer.getOrSetAll?.(keys, loader.load) ?? Promise.resolve(0))] : [],
      ),
      options,
    );
    // a loader call here would mean a miss was measured, not a hit
    if (loader.calls() !== 0) throw new Error(`getOrSet hit scenario called the loader ${loader.calls()} times`);
    return { get, getOrSet };
  } finally {
    await Promise.all(peers.map((peer) => peer.close()));
  }
}

function batch(peer: Peer, calls: number, run: () => Promise<number>): BatchTask {
  return { id: peer.id, name: peer.name, calls, run };
}
