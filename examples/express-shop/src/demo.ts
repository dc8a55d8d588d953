import { createShopCache } from '@cachette/example-shop-kit';
import { formatSteps, runDemo } from './run-demo.js';

const { cache, shared } = await createShopCache();
console.log(`express-shop demo — pages in memory, then ${shared}\n`);
try {
  for (const line of formatSteps(await runDemo(cache))) console.log(line);
} finally {
  await cache.disconnect();
}
