/**
 * The bench side of the page-bench servers: each runs in a child process of its own (so that
 * the load generator and the server never share an event loop), loaded with `node --import tsx`,
 * listening on 127.0.0.1 on a port the OS picked. Every child is stopped at the end; children
 * also exit by themselves when this process ends in any way (their IPC channel closes).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromChild, ToChild } from './child.js';

/** The bench package's directory: the children's cwd, so that tsx finds its tsconfig.json. */
export const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerOptions {
  /** The server file, in this directory (e.g. `express-server.ts`). */
  file: string;
  variant: string;
  /** More arguments after the variant (Nest's platform). */
  args?: readonly string[];
  /** More environment (the page's body size). */
  env?: Readonly<Record<string, string>>;
  /**
   * Write V8 CPU profiles into `<cpuProfDir>/<name>/` when the child exits: one per thread,
   * `CPU.window.<pid>.0.001.cpuprofile` (the child profiles itself from `profile()` on, node:inspector);
   * and `requests.txt`, how many requests the server answered.
   */
  cpuProfDir?: string | undefined;
  name: string;
}

export interface ServerStats {
  handlerCalls: number;
  cpuUs: number;
}

export interface RunningServer {
  url: string;
  pid: number;
  /** How many times the route handler has run in this process so far. */
  handlerCalls(): Promise<number>;
  /** The handler count and the CPU time (user + system, µs) this process has used so far. */
  stats(): Promise<ServerStats>;
  /** Starts the child's CPU profile, when it was started with `cpuProfDir` (written when it stops). */
  profile(): void;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

// last resort, synchronous: whatever is still running when this process exits is killed
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts one server and resolves once it listens; rejects (and kills it) if it fails or takes 60 s. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const execArgv = ['--import', 'tsx'];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, NODE_ENV: 'production' };
  if (options.cpuProfDir) {
    const dir = join(options.cpuProfDir, options.name);
    mkdirSync(dir, { recursive: true });
    // the child profiles itself from `profile()` to its exit (node:inspector), not from start-up
    env.BENCH_PAGES_PROFILE_DIR = dir;
  }
  const child = fork(join(BENCH_DIR, 'src', 'pages', options.file), [options.variant, ...(options.args ?? [])], {
    cwd: BENCH_DIR,
    execArgv,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = () => stopChild(child);
  try {
    const port = await ready(child, () => output, options.name);
    const stats = () => askStats(child, options.name);
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid ?? -1,
      stats,
      handlerCalls: async () => (await stats()).handlerCalls,
      profile: () => child.send({ type: 'profile' } satisfies ToChild),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops every server still running (on error, Ctrl-C or at the end). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

function ready(child: ChildProcess, output: () => string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${name}: not listening after 60 s\n${output()}`)), 60_000);
    const onMessage = (message: FromChild) => {
      if (message.type === 'ready') finish(undefined, message.port);
      else if (message.type === 'failed') finish(new Error(`${name}: ${message.error}`));
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`${name}: exited (${signal ?? code}) before listening\n${output()}`));
    const finish = (error: Error | undefined, port?: number) => {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit);
      if (error) reject(error);
      else resolve(port as number);
    };
    child.on('message', onMessage).once('exit', onExit);
  });
}

function askStats(child: ChildProcess, name: string): Promise<ServerStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${name}: no answer to stats in 10 s`)), 10_000);
    const onMessage = (message: FromChild) => {
      if (message.type === 'stats') finish(undefined, { handlerCalls: message.handlerCalls, cpuUs: message.cpuUs });
    };
    const onExit = () => finish(new Error(`${name}: exited`));
    const finish = (error: Error | undefined, stats?: ServerStats) => {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit);
      if (error) reject(error);
      else resolve(stats as ServerStats);
    };
    child.on('message', onMessage).once('exit', onExit);
    child.send({ type: 'stats' } satisfies ToChild);
  });
}

/** Asks the child to stop (it closes its server and exits); SIGKILL if it has not exited in 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'stop' } satisfies ToChild, () => undefined);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
