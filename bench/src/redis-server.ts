import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Redis the bench uses: the caller's (`REDIS_URL`) or one it started and must stop. */
export interface RedisHandle {
  url: string;
  /** `REDIS_URL` or `redis-server <version> on :<port> (started by the bench)`. */
  describe: string;
  stop(): Promise<void>;
}

/** Ports other tools of this project use; never take them. */
const RESERVED = new Set([6379, 6390, 11311]);

/**
 * Runs redis-server under a small sh watchdog that holds our end of a pipe on its stdin: when
 * this process ends in any way (even SIGKILL, which tsx sends a busy child on Ctrl-C), the pipe
 * closes, `read` returns and the watchdog stops redis-server. The async job's stdin is
 * /dev/null, so redis-server never reads the pipe.
 */
const WATCHDOG = 'redis-server "$@" & pid=$!; echo "watchdog: redis pid $pid"; read -r _; kill "$pid" 2>/dev/null; wait "$pid"';

/**
 * `REDIS_URL` when set; else starts `redis-server` on a free loopback port, without
 * persistence, and returns a handle whose `stop()` ends it. It also ends with this process.
 */
export async function useRedis(): Promise<RedisHandle> {
  const url = process.env.REDIS_URL;
  if (url) return { url, describe: 'REDIS_URL', stop: async () => undefined };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cachette-bench-redis-'));
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'redis-watchdog', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const log = collectLog(child);
  const stop = async () => {
    await terminate(child, log);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const version = await ready(child, log);
    return { url: `redis://127.0.0.1:${port}`, describe: `redis-server ${version} on 127.0.0.1:${port} (started by the bench)`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A port the OS just gave out on 127.0.0.1 (listen on 0, then close). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port > 0 && !RESERVED.has(port)) return port;
  }
}

interface Log {
  /** The watchdog's first line and redis-server's latest output. */
  head: string;
  tail: string;
}

/** Keeps reading the child's output (so that its pipes never fill) and remembers some of it. */
function collectLog(child: ChildProcess): Log {
  const log: Log = { head: '', tail: '' };
  const onData = (chunk: Buffer) => {
    if (log.head.length < 200) log.head += chunk.toString().slice(0, 200);
    log.tail = (log.tail + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return log;
}

/** Resolves with the server's version once it accepts connections; rejects if it exits or takes 10 s. */
function ready(child: ChildProcess, log: Log): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (/redis-server: (not found|No such file)/.test(log.tail))
        fail(new Error('redis-server is not installed: apt-get install redis-server, or set REDIS_URL'));
      if (!/Ready to accept connections/.test(log.tail)) return;
      done();
      resolve(/version=([\d.]+)/.exec(log.tail)?.[1] ?? 'unknown');
    }, 20);
    const deadline = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${log.tail}`)), 10_000);
    const done = () => {
      clearInterval(timer);
      clearTimeout(deadline);
      child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      done();
      reject(error);
    };
    const onExit = (code: number | null) =>
      fail(new Error(`redis-server exited with ${code} (is the redis-server apt package installed?):\n${log.tail}`));
    child.once('exit', onExit);
    child.once('error', (error) => fail(new Error(`cannot start redis-server: ${error.message}`)));
  });
}

/** Closes the watchdog's stdin (it stops redis-server and exits); kills both by pid if that takes 5 s. */
async function terminate(child: ChildProcess, log: Log): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => {
    const redisPid = Number(/watchdog: redis pid (\d+)/.exec(log.head)?.[1]);
    if (redisPid > 0) process.kill(redisPid, 'SIGKILL');
    child.kill('SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
