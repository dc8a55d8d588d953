import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Redis Cluster and Sentinel started by the tests themselves, on 127.0.0.1, from a temp dir,
 * stopped by pidfile. When a binary is missing the tests skip, unless CACHETTE_REQUIRE_SERVICES=1.
 */
const required = process.env.CACHETTE_REQUIRE_SERVICES === '1';

/** True when `command` runs; with CACHETTE_REQUIRE_SERVICES=1 a missing one throws instead. */
export function have(command: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  if (!found && required) throw new Error(`CACHETTE_REQUIRE_SERVICES=1 but ${command} is not installed`);
  return found;
}

export const CLUSTER_PORTS = portRange(process.env.CACHETTE_CLUSTER_PORT ?? '7301', 6);
export const SENTINEL = {
  master: Number(process.env.CACHETTE_SENTINEL_MASTER_PORT ?? 6414),
  replica: Number(process.env.CACHETTE_SENTINEL_REPLICA_PORT ?? 6415),
  sentinels: portRange(process.env.CACHETTE_SENTINEL_PORT ?? '26414', 3),
  name: 'cachette',
};

function portRange(first: string, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Number(first) + i);
}

const cli = (port: number, ...args: string[]) =>
  execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
    timeout: 5_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

function tryCli(port: number, ...args: string[]): string {
  try {
    return cli(port, ...args);
  } catch {
    return '';
  }
}

function waitFor(check: () => boolean, what: string, ms = 20_000): void {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`[test servers] ${what} did not happen in ${ms} ms`);
    spawnSync('sleep', ['0.1']);
  }
}

/** A set of servers in one temp dir; `stop()` ends each by its pidfile. */
export class Servers {
  readonly dir = mkdtempSync(join(tmpdir(), 'cachette-redis-'));
  readonly #ports = new Set<number>();

  /** Starts redis-server (or sentinel, with `sentinel`) daemonized on `port`, pidfile in our dir. */
  start(port: number, args: string[] = [], sentinel = false): void {
    const base = ['--bind', '127.0.0.1', '--port', String(port), '--daemonize', 'yes', '--pidfile', this.pidfile(port)];
    const log = ['--logfile', join(this.dir, `${port}.log`), '--dir', this.dir];
    if (sentinel) {
      const conf = join(this.dir, `sentinel-${port}.conf`);
      writeFileSync(conf, `${args.join('\n')}\n`);
      execFileSync('redis-server', [conf, '--sentinel', ...base, ...log]);
    } else {
      execFileSync('redis-server', [...base, ...log, '--save', '', '--appendonly', 'no', ...args]);
    }
    this.#ports.add(port);
    waitFor(() => tryCli(port, 'ping') === 'PONG', `redis on ${port}`);
  }

  pidfile(port: number): string {
    return join(this.dir, `${port}.pid`);
  }

  /** SIGKILLs the server on `port`, as a crash would. */
  kill(port: number): void {
    const pid = Number(readFileSync(this.pidfile(port), 'utf8'));
    process.kill(pid, 'SIGKILL');
    rmSync(this.pidfile(port), { force: true });
    waitFor(() => tryCli(port, 'ping') !== 'PONG', `redis on ${port} gone`);
  }

  stop(): void {
    for (const port of this.#ports) {
      const file = this.pidfile(port);
      if (!existsSync(file)) continue;
      try {
        process.kill(Number(readFileSync(file, 'utf8')), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    for (const port of this.#ports)
      waitFor(() => !existsSync(this.pidfile(port)) || tryCli(port, 'ping') !== 'PONG', `stop ${port}`, 5_000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** 3 masters + 3 replicas, node timeout 1 s, ready when every node says `cluster_state:ok`. */
export function startCluster(servers: Servers, ports = CLUSTER_PORTS): void {
  for (const port of ports) {
    servers.start(port, [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(servers.dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '1000',
      '--cluster-replica-validity-factor',
      '0',
    ]);
  }
  execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  waitFor(() => ports.every((port) => clusterOk(port)), 'cluster_state:ok on every node');
}

const execFileAsync = promisify(execFile);

/**
 * True once `port` sees a healthy cluster with 3 masters, none of them `victim`. Asynchronous,
 * so that the load a test runs meanwhile keeps going.
 */
export async function promotedWithout(port: number, victim: number): Promise<boolean> {
  const run = (...args: string[]) =>
    execFileAsync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 5_000 }).then(
      (r) => r.stdout,
      () => '',
    );
  if (!(await run('cluster', 'info')).includes('cluster_state:ok')) return false;
  const masters = parseMasters(await run('cluster', 'nodes'));
  return masters.length === 3 && !masters.includes(victim);
}

export function clusterOk(port: number): boolean {
  return tryCli(port, 'cluster', 'info').includes('cluster_state:ok');
}

/** The ports of the nodes that are masters now, as `port` sees the cluster. */
export function clusterMasters(port: number): number[] {
  return parseMasters(tryCli(port, 'cluster', 'nodes'));
}

function parseMasters(nodes: string): number[] {
  return nodes
    .split('\n')
    .filter((line) => / master( |,)|,master /.test(` ${line.split(' ')[2]} `) && !line.includes('fail'))
    .map((line) => Number(/:(\d+)@/.exec(line)?.[1]));
}

/** The masters (as `port` sees them) that hold a pub/sub connection: the bus's node first. */
export function mastersBySubscribers(port: number): number[] {
  const masters = clusterMasters(port);
  const subscribed = masters.filter((master) => /\bsub=[1-9]/.test(tryCli(master, 'client', 'list')));
  return [...subscribed, ...masters.filter((master) => !subscribed.includes(master))];
}

/** A master and its replica on their ports, watched by three sentinels (quorum 2, down after 1 s). */
export function startSentinels(servers: Servers, layout = SENTINEL): void {
  servers.start(layout.master);
  servers.start(layout.replica, ['--replicaof', '127.0.0.1', String(layout.master)]);
  waitFor(() => tryCli(layout.replica, 'info', 'replication').includes('master_link_status:up'), 'replica in sync');
  for (const port of layout.sentinels) {
    servers.start(
      port,
      [
        `sentinel monitor ${layout.name} 127.0.0.1 ${layout.master} 2`,
        `sentinel down-after-milliseconds ${layout.name} 1000`,
        `sentinel failover-timeout ${layout.name} 5000`,
        `sentinel parallel-syncs ${layout.name} 1`,
      ],
      true,
    );
  }
  waitFor(
    () => layout.sentinels.every((port) => /num-other-sentinels\n2\b/.test(tryCli(port, 'sentinel', 'master', layout.name))),
    'sentinels see each other',
  );
}

/** The port of the master the sentinels name now. */
export function sentinelMaster(layout = SENTINEL): number {
  return Number(tryCli(layout.sentinels[0] as number, 'sentinel', 'get-master-addr-by-name', layout.name).split('\n')[1]);
}

/**
 * Cuts the pub/sub connections of clients on `ports` (not the sentinels' own, named `sentinel-…`),
 * as a network blip would: the servers stay up. Returns how many were cut.
 */
export function killSubscribers(ports: readonly number[]): number {
  let killed = 0;
  for (const port of ports) {
    for (const line of tryCli(port, 'client', 'list', 'type', 'pubsub').split('\n')) {
      const id = /\bid=(\d+)/.exec(line)?.[1];
      if (!id || /\bname=sentinel-/.test(line)) continue;
      if (Number(tryCli(port, 'client', 'kill', 'id', id)) > 0) killed++;
    }
  }
  return killed;
}
