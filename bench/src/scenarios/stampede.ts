import { bentocacheMemoryPeer } from '../peers/bentocache.js';
import { cacheManagerPeer } from '../peers/cache-manager.js';
import { cacheablePeer } from '../peers/cacheable.js';
import { cachetteMemoryPeer, cachetteRedisPeer } from '../peers/cachette.js';
import type { Peer } from '../peers/peer.js';
import { countingLoader, type Product } from '../workload.js';

export interface StampedeResult {
  id: string;
  name: string;
  loaderCalls: number;
  /** Callers that got the loader's value. */
  answered: number;
  callers: number;
  wallMs: number;
}

/**
 * Scenario 4: `callers` concurrent `getOrSet` on one cold key, with a loader that takes
 * `delayMs`. Each library gets a fresh instance; counts how often its loader ran.
 */
export async function runStampede(url: string, runId: string, value: Product, callers = 1_000, delayMs = 20): Promise<StampedeResult[]> {
  const makers: Array<() => Peer> = [
    cachetteMemoryPeer,
    () => cachetteRedisPeer(url, `stampede-${runId}`),
    () => bentocacheMemoryPeer(false),
    cacheablePeer,
    cacheManagerPeer,
  ];
  const results: StampedeResult[] = [];
  for (const make of makers) {
    const peer = make();
    try {
      const getOrSet = peer.getOrSet?.bind(peer);
      if (!getOrSet) continue;
      const loader = countingLoader(value, delayMs);
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: callers }, () => getOrSet(`stampede:${runId}`, loader.load)));
      const wallMs = performance.now() - started;
      const answered = answers.filter((answer) => (answer as Product | undefined)?.id === value.id).length;
      results.push({ id: peer.id, name: peer.name, loaderCalls: loader.calls(), answered, callers, wallMs });
    } finally {
      await peer.close();
    }
  }
  return results;
}
