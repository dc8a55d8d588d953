import { startFleet } from './fleet.js';

const fleet = await startFleet({
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  port: Number(process.env.PORT ?? 18300),
  workers: Number(process.env.WORKERS ?? 4),
});
console.log(`shop: ${fleet.url} (nginx) → ${fleet.workerUrls.join(', ')} (node:cluster workers), Redis for the shared tier, bus and lock`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await fleet.stop();
    process.exit(0);
  });
}
