import { type Cache, createCache } from '@cachette/core';

/** One line of the demo: what happened, the value, and how long it took. */
export interface DemoStep {
  step: string;
  value: unknown;
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A "database" call that takes a while, so that the cache's effect shows in the timings. */
function slowProduct(id: number, loads: { count: number }) {
  return async () => {
    loads.count++;
    await sleep(80);
    return { id, name: `Product ${id}`, version: loads.count };
  };
}

async function timed(step: string, work: () => Promise<unknown>): Promise<DemoStep> {
  const started = performance.now();
  const value = await work();
  return { step, value, ms: Math.round((performance.now() - started) * 100) / 100 };
}

/**
 * Runs the demo on `cache` (made with a short TTL so that staleness shows in a second).
 * Returns the steps, so that a test can check them.
 */
export async function runDemo(cache: Cache = createCache({ ttl: 300, staleWhileRevalidate: '10s' })): Promise<DemoStep[]> {
  const loads = { count: 0 };
  const load = slowProduct(1, loads);
  const get = () => cache.getOrSet('product:1', load, { tags: ['product:1'] });
  const steps: DemoStep[] = [];
  steps.push(await timed('miss: the loader runs', get));
  steps.push(await timed('hit: from memory', get));
  await sleep(350);
  steps.push(await timed('stale hit: answered at once, refresh starts', get));
  await sleep(150);
  steps.push(await timed('hit: the refreshed value', get));
  await cache.deleteByTag('product:1');
  steps.push(await timed('after deleteByTag: the loader runs again', get));
  return steps;
}
