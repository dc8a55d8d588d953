/**
 * One engine hit path in a loop, for `node --cpu-prof` (issue 7's engine half): read the profile
 * with `src/pages/profile.ts`. Not a benchmark: the numbers it prints are only a sanity check.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx src/engine-profile.ts memory-get 10000
 *   REDIS_URL=redis://127.0.0.1:6379 node --cpu-prof ... src/engine-profile.ts redis-flight 1000
 */
import { createCache, memoryStore } from '@cachette/core';
import { redisStore } from '@cachette/redis';
import { makeItems, randomOrder } from './workload.js';

const [what = 'memory-get', arg = '10000'] = process.argv.slice(2);
const n = Number(arg);

async function memory(getOrSet: boolean): Promise<void> {
  const items = makeItems(n);
  const cache = createCache({ namespace: 'prof', ttl: '1h', tiers: [{ store: memoryStore({ maxEntries: n }) }] });
  for (const { key, value } of items) await cache.set(key, value);
  const keys = Array.from(randomOrder(n, 1_000), (i) => (items[i] as { key: string }).key);
  const load = async () => 0;
  const started = performance.now();
  let calls = 0;
  while (performance.now() - started < 3_000) {
    for (const key of keys) await (getOrSet ? cache.getOrSet(key, load) : cache.get(key));
    calls += keys.length;
  }
  console.log(`${what}: ${(((calls / (performance.now() - started)) * 1e3) / 1e6).toFixed(2)} M/s`);
}

async function redis(size: number, flight: boolean): Promise<void> {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL');
  const cache = createCache({ namespace: `prof${process.pid}`, ttl: '1h', storeTimeout: '30s', tiers: [{ store: redisStore({ url }) }] });
  const items = makeItems(200).map((item) => ({ key: item.key, value: { ...item.value, body: 'x'.repeat(size) } }));
  await cache.setMany(items);
  const keys = items.map((i) => i.key);
  const started = performance.now();
  let next = 0;
  const total = size >= 100_000 ? 2_000 : size >= 10_000 ? 20_000 : 200_000;
  await Promise.all(
    Array.from({ length: flight ? 64 : 1 }, async () => {
      while (next < total) await cache.get(keys[next++ % keys.length] as string);
    }),
  );
  console.log(`${what}: ${(((total / (performance.now() - started)) * 1e3) / 1e3).toFixed(1)} k/s`);
  await cache.clear();
  await cache.disconnect();
}

if (what === 'memory-get') await memory(false);
else if (what === 'memory-getorset') await memory(true);
else if (what === 'redis-flight') await redis(n, true);
else if (what === 'redis-serial') await redis(n, false);
else throw new Error(`unknown ${what}`);
