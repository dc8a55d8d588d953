import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';

/** Throughput of one library in one scenario. */
export interface Throughput {
  id: string;
  name: string;
  opsPerSec: number;
  /** Mean time of one call, in nanoseconds. */
  meanNs: number;
  /** Largest distance of a round from the median round, in percent. */
  rme: number;
}

/** Per-call latency of one library, in microseconds. */
export interface Latency {
  id: string;
  name: string;
  samples: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  opsPerSec: number;
}

/** A batch: `calls` awaited calls, returning how many gave the expected answer. */
export interface BatchTask {
  id: string;
  name: string;
  calls: number;
  run: () => Promise<number>;
}

export interface ThroughputOptions {
  /** Measuring time per task and round, ms. Default 500. */
  timeMs?: number;
  /** Warm-up time per task and round, ms. Default 200. */
  warmupMs?: number;
  /** Rounds over all tasks, each in a rotated order; each task reports its median round. Default 3. */
  rounds?: number;
}

/**
 * Runs each batch with tinybench (warm-up, then measure) and turns batch times into
 * per-call throughput. Every batch is run once first and must answer every call: a batch
 * that misses would measure the wrong path. On a shared machine a burst of other work can
 * hit one task only, so the tasks run in several rounds, in rotated order, and each reports
 * its median round; `rme` is the spread of the rounds around it.
 */
export async function measureThroughput(tasks: readonly BatchTask[], options: ThroughputOptions = {}): Promise<Throughput[]> {
  for (const task of tasks) {
    const answered = await task.run();
    if (answered !== task.calls) throw new Error(`${task.name}: ${answered} of ${task.calls} calls were hits; the bench is broken`);
  }
  const rounds = options.rounds ?? 3;
  const periods = tasks.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: options.timeMs ?? 500, warmupTime: options.warmupMs ?? 200, throws: true });
    const order = tasks.map((_, i) => (i + round) % tasks.length);
    for (const i of order) bench.add(String(i), (tasks[i] as BatchTask).run);
    await bench.run();
    for (const [j, i] of order.entries()) {
      const result = bench.tasks[j]?.result;
      if (!result || !('period' in result)) throw new Error(`${tasks[i]?.name}: tinybench gave no result (${result?.state})`);
      periods[i]?.push(result.period);
    }
  }
  return tasks.map((task, i) => {
    const sorted = [...(periods[i] ?? [])].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    const spread = Math.max(...sorted.map((p) => Math.abs(p - median))) / median;
    const meanMs = median / task.calls;
    return { id: task.id, name: task.name, opsPerSec: 1_000 / meanMs, meanNs: meanMs * 1e6, rme: spread * 100 };
  });
}

/** What the latency loop calls: one awaited request. */
export interface LatencyTask {
  id: string;
  name: string;
  /** The keys this library reads, in the same order for every library. */
  keys: readonly string[];
  call: (key: string) => Promise<unknown>;
}

/**
 * Times every call of `rounds` passes over `keys`, one library after another within each
 * round (the order rotates), so that drift in the machine or in Redis hits all alike.
 * One untimed pass per library first warms connections and JIT.
 */
export async function measureLatency(tasks: readonly LatencyTask[], rounds: number): Promise<Latency[]> {
  for (const task of tasks) for (const key of task.keys) await task.call(key);
  const samples = tasks.map((task) => new Float64Array(rounds * task.keys.length));
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < tasks.length; j++) {
      const index = (j + round) % tasks.length;
      const task = tasks[index] as LatencyTask;
      const out = samples[index] as Float64Array;
      let at = round * task.keys.length;
      for (const key of task.keys) {
        const started = performance.now();
        await task.call(key);
        out[at++] = performance.now() - started;
      }
    }
  }
  return tasks.map((task, i) => ({ id: task.id, ...summarize(task.name, samples[i] as Float64Array) }));
}

function summarize(name: string, ms: Float64Array): Omit<Latency, 'id'> {
  const sorted = Float64Array.from(ms).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / sorted.length;
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 1_000;
  return { name, samples: sorted.length, meanUs: mean * 1_000, p50Us: at(0.5), p99Us: at(0.99), opsPerSec: 1_000 / mean };
}
