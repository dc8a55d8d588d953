/**
 * The engine benchmark: cachette against lru-cache, bentocache, cacheable and cache-manager,
 * in one run, on the same keys and values. Prints a markdown report and writes it to
 * `bench/results/engine.md`. Uses `REDIS_URL`, or starts (and always stops) its own redis-server.
 *
 *   pnpm bench                       # builds core, then runs this
 *   BENCH_TIME_MS=1000 BENCH_L1_ROUNDS=5 BENCH_L2_ROUNDS=40 pnpm bench
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { removeRunKeys } from './peers/redis-client.js';
import { type RedisHandle, useRedis } from './redis-server.js';
import { type RunResults, renderReport } from './report.js';
import { runL1 } from './scenarios/l1.js';
import { runL2 } from './scenarios/l2.js';
import { runStampede } from './scenarios/stampede.js';
import { type Item, KEY_COUNT, makeItems } from './workload.js';

const REPORT = fileURLToPath(new URL('../results/engine.md', import.meta.url));

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

async function run(redis: RedisHandle): Promise<RunResults> {
  const timeMs = envInt('BENCH_TIME_MS', 500);
  const l1Rounds = envInt('BENCH_L1_ROUNDS', 3);
  const rounds = envInt('BENCH_L2_ROUNDS', 20);
  const runId = `${process.pid}-${Date.now().toString(36)}`;
  const items = makeItems(KEY_COUNT);
  const cpu = cpus();
  const loadAtStart = loadavg()[0] ?? 0;
  const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);
  try {
    log('1-2/4 L1 get and getOrSet');
    const l1 = await runL1(items, { timeMs, rounds: l1Rounds });
    log('3/4 L2 latency on Redis');
    const l2 = await runL2(redis.url, runId, items, rounds);
    log('4/4 stampede');
    const stampede = await runStampede(redis.url, runId, (items[0] as Item).value);
    return {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      redis: redis.describe,
      load: `1-min load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end (other work on these ${cpu.length} cores skews the numbers)`,
      settings: `L1: tinybench, 1,000 awaited calls per iteration, ${l1Rounds} rounds (rotated order) × ${timeMs} ms per task after 200 ms warm-up, median round reported, ± = largest round's distance from it; L2: ${rounds} rounds × ${KEY_COUNT} keys per client, interleaved`,
      l1Get: l1.get,
      l1GetOrSet: l1.getOrSet,
      l2,
      stampede,
    };
  } finally {
    await removeRunKeys(redis.url, runId).catch((error: Error) => log(`could not remove this run's Redis keys: ${error.message}`));
  }
}

async function main(): Promise<void> {
  const redis = await useRedis();
  const onSignal = (signal: NodeJS.Signals) => {
    void redis.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const report = renderReport(await run(redis));
    mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
    writeFileSync(REPORT, report);
    process.stdout.write(`${report}\nwritten to ${REPORT}\n`);
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
