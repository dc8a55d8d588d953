import { createClient } from '@redis/client';
import type { Item } from '../workload.js';
import type { Peer } from './peer.js';

/**
 * Raw `@redis/client` (the client @keyv/redis uses): one `GET` per call, no decoding. The
 * floor for a shared-tier hit. `keys` are the exact Redis keys cachette wrote, so both read
 * the same bytes.
 */
export async function redisClientPeer(
  url: string,
): Promise<Peer & { scan(match: string): Promise<string[]>; unlink(keys: string[]): Promise<void> }> {
  const client = createClient({ url });
  await client.connect();
  return {
    id: 'redis-client',
    name: '@redis/client GET (raw)',
    async fill(items: readonly Item[]) {
      for (const { key, value } of items) await client.set(key, JSON.stringify(value));
    },
    async getAll(keys) {
      let hits = 0;
      for (const key of keys) if ((await client.get(key)) !== null) hits++;
      return hits;
    },
    get: (key) => client.get(key),
    async scan(match) {
      const found: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: match, COUNT: 1000 })) found.push(...batch);
      return found;
    },
    async unlink(keys) {
      for (let i = 0; i < keys.length; i += 500) await client.unlink(keys.slice(i, i + 500));
    },
    async close() {
      await client.close();
    },
  };
}

/** Deletes every key of one bench run (they all carry `runId`), so a shared `REDIS_URL` is left as it was. */
export async function removeRunKeys(url: string, runId: string): Promise<number> {
  const raw = await redisClientPeer(url);
  try {
    const keys = await raw.scan(`*${runId}*`);
    await raw.unlink(keys);
    return keys.length;
  } finally {
    await raw.close();
  }
}
