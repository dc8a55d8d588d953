import { createCache, manualClock } from '@cachette/core';
import { expect, it } from 'vitest';

it('reloads a price after its TTL, without sleeping', async () => {
  const clock = manualClock();
  const cache = createCache({ clock, ttl: '10m' });
  let loads = 0;
  const price = () => cache.getOrSet('price:1', async () => ++loads);

  expect(await price()).toBe(1);
  await clock.advance(9 * 60_000);
  expect(await price()).toBe(1); // still fresh
  await clock.advance(2 * 60_000);
  expect(await price()).toBe(2); // expired: loaded again
});

it('serves the stale price at once and refreshes it in the background', async () => {
  const clock = manualClock();
  const cache = createCache({ clock, ttl: '10m', staleWhileRevalidate: '1m' });
  let loads = 0;
  const price = () => cache.getOrSet('price:1', async () => ++loads);
  const refreshed = new Promise((resolve) => cache.on('load', ({ background }) => background && resolve(undefined)));

  expect(await price()).toBe(1);
  await clock.advance(10 * 60_000 + 1);
  expect(await price()).toBe(1); // stale, answered at once
  await refreshed; // the cache's own 'load' event, not a sleep
  expect(await price()).toBe(2);
});
