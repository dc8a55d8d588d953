/**
 * The child side of a page-bench server: every server file calls {@link runServer} once. The
 * server listens on 127.0.0.1, on a port the OS picks, and tells the parent over IPC. It exits
 * when the parent asks, on SIGINT/SIGTERM, and when the IPC channel closes (the parent ended in
 * any way, even SIGKILL), so that no server outlives a run. Exiting through `process.exit` lets
 * a profiled child write its profile.
 */
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** Messages between the bench and a server process. */
export type ToChild = { type: 'stats' } | { type: 'profile' } | { type: 'stop' };
export type FromChild =
  | { type: 'ready'; port: number }
  | { type: 'stats'; handlerCalls: number; cpuUs: number }
  | { type: 'failed'; error: string };

let handlerCalls = 0;

/** Every route handler calls this: on a cache hit it must not run. */
export function countHandlerCall(): void {
  handlerCalls++;
}

/** The variant this process serves (its first argument), checked against the known ones. */
export function variantArg<T extends string>(known: readonly T[]): T {
  const variant = process.argv[2];
  if (!known.includes(variant as T)) throw new Error(`unknown variant ${variant}; expected one of ${known.join(', ')}`);
  return variant as T;
}

/**
 * Starts the server `start` builds (it must not listen yet), listens on 127.0.0.1:0, reports
 * the port; `close` is extra clean-up (Nest's `app.close()`).
 */
export function runServer(start: () => Promise<{ server: Server; close?: () => Promise<void> }>): void {
  if (!process.send) throw new Error('a page-bench server runs as a child of src/pages.ts (it needs the IPC channel)');
  const send = (message: FromChild) => process.send?.(message);
  let stopping = false;
  let closeExtra: (() => Promise<void>) | undefined;
  let server: Server | undefined;
  // when profiled: the measured window only (from the `profile` message to the stop), and how many requests it covers
  const profiler = process.env.BENCH_PAGES_PROFILE_DIR ? windowProfiler(process.env.BENCH_PAGES_PROFILE_DIR) : undefined;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    // never wait long: a stuck close must not keep the process (and its port) alive
    setTimeout(() => process.exit(code), 2_000).unref();
    server?.closeAllConnections();
    server?.close();
    void Promise.all([profiler?.finish(), closeExtra?.()])
      .catch(() => undefined)
      .finally(() => process.exit(code));
  };
  process.on('message', (message: ToChild) => {
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', handlerCalls, cpuUs: cpu.user + cpu.system });
    } else if (message.type === 'profile') profiler?.start();
    else if (message.type === 'stop') stop(0);
  });
  process.once('disconnect', () => stop(0));
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  start()
    .then((started) => {
      const listening = started.server;
      server = listening;
      closeExtra = started.close;
      // autocannon keeps its connections for the whole run: never drop them in the middle
      listening.keepAliveTimeout = 65_000;
      if (profiler) listening.on('request', profiler.count);
      listening.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (listening.address() as AddressInfo).port }));
    })
    .catch((error: unknown) => {
      send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      stop(1);
    });
}

/**
 * A V8 CPU profile of the measured window only (the warm-ups and measured runs, not start-up and
 * the cache's first renders): started by the bench's `profile` message, written on exit as
 * `CPU.window.<pid>.0.001.cpuprofile` with `requests.txt`, the requests answered while profiling.
 */
function windowProfiler(dir: string): { start(): void; count(): void; finish(): Promise<void> } {
  const session = new Session();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  let started = false;
  let requests = 0;
  return {
    start() {
      if (started) return;
      started = true;
      session.connect();
      const interval = Number(process.env.BENCH_PAGES_CPU_PROF_INTERVAL_US ?? 500);
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval }))
        .then(() => post('Profiler.start'));
    },
    count() {
      if (started) requests++;
    },
    async finish() {
      if (!started) return;
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(join(dir, `CPU.window.${process.pid}.0.001.cpuprofile`), JSON.stringify(profile));
      writeFileSync(join(dir, 'requests.txt'), `${requests}\n`);
    },
  };
}
