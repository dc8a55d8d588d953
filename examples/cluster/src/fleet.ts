import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNginx } from './nginx.js';

/** Where the fleet listens, and how to stop it. */
export interface Fleet {
  /** nginx, in front of every worker. */
  url: string;
  /** Each worker, directly (for the test's per-worker counters). */
  workerUrls: string[];
  /** The port every worker also listens on (node:cluster balances), when asked for with `sharedPort`. */
  sharedUrl?: string;
  /** Lines the primary printed (a worker that exited shows here). */
  primaryLog: string[];
  stop(): Promise<void>;
}

export interface FleetOptions {
  /** One Redis. Or give `redisEnv` instead. */
  redisUrl?: string;
  /** `REDIS_URL`, `REDIS_CLUSTER` or `REDIS_SENTINEL` for the workers (see `connection.ts`). */
  redisEnv?: Record<string, string>;
  /** nginx's port; the workers take the next ones. Default 18300. */
  port?: number;
  /** Default 4. */
  workers?: number;
  /** A port every worker listens on too, node:cluster handing each connection to one of them. */
  sharedPort?: number;
}

/** Starts the node:cluster primary (which forks the workers) and nginx; resolves once both answer. */
export async function startFleet({ redisUrl, redisEnv, port = 18300, workers = 4, sharedPort }: FleetOptions): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'cachette-cluster-'));
  const workerPorts = Array.from({ length: workers }, (_, i) => port + 1 + i);
  const primary = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./primary.ts', import.meta.url))], {
    env: {
      ...process.env,
      ...(redisEnv ?? { REDIS_URL: redisUrl ?? 'redis://127.0.0.1:6379' }),
      WORKER_PORTS: workerPorts.join(','),
      SHARED_PORT: sharedPort ? String(sharedPort) : '',
      // one secret for the whole fleet (an operator sets it from their secret store)
      CACHETTE_REVALIDATION_SECRET: process.env.CACHETTE_REVALIDATION_SECRET ?? randomBytes(24).toString('base64'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    // `--import tsx` resolves from here, where the example's own dependencies are
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  const primaryLog: string[] = [];
  primary.stdout?.on('data', (chunk: Buffer) => primaryLog.push(...chunk.toString().trim().split('\n')));
  const nginx = startNginx(dir, port, workerPorts);
  const fleet = {
    url: `http://127.0.0.1:${port}`,
    workerUrls: workerPorts.map((p) => `http://127.0.0.1:${p}`),
    sharedUrl: sharedPort ? `http://127.0.0.1:${sharedPort}` : undefined,
    primaryLog,
    stop: async () => {
      await Promise.all([stopChild(nginx, 'SIGQUIT'), stopChild(primary, 'SIGTERM')]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const gone = () => primary.exitCode !== null || nginx.exitCode !== null;
    const urls = [
      ...fleet.workerUrls.map((u) => `${u}/stats`),
      `${fleet.url}/live`,
      ...(fleet.sharedUrl ? [`${fleet.sharedUrl}/live`] : []),
    ];
    await Promise.all(urls.map((u) => answered(u, gone)));
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}

async function answered(url: string, gone: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (gone()) throw new Error(`[example-cluster] the primary or nginx exited before ${url} answered`);
    if (Date.now() > deadline) throw new Error(`[example-cluster] ${url} did not answer in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
