import type { RedisClient } from '@cachette/redis';
import { createClient, createCluster } from '@redis/client';
import { asCliError, bounded } from './bounded.js';
import { type ConnectionSpec, describeConnection, type HostPort } from './connection-spec.js';
import { CliError } from './errors.js';

/**
 * The command's own line to Redis, for what the cache API does not do: ping, INFO, SCAN of a
 * namespace's keys, counting the bus's subscribers. Every call is bounded by the timeout.
 */
export interface Admin {
  /** The one client, when Redis is one server: the store and the bus share it. */
  readonly client: RedisClient | undefined;
  /** Every master (one for a single server or a sentinel set). */
  readonly nodes: readonly RedisClient[];
  readonly timeout: number;
  /** Closes everything the admin opened. */
  close(): Promise<void>;
}

/** Connects and pings within `timeout` ms; `E_UNREACHABLE` otherwise, with nothing left open. */
export async function openAdmin(spec: ConnectionSpec, timeout: number): Promise<Admin> {
  const where = describeConnection(spec);
  if ('url' in spec) {
    const client = await nodeClient(spec.url, timeout, where);
    return { client, nodes: [client], timeout, close: () => closeClient(client, timeout) };
  }
  if ('sentinel' in spec) {
    const url = await masterUrl(spec.sentinel.name, spec.sentinel.sentinelRootNodes, timeout, where);
    const client = await nodeClient(url, timeout, `${where} (master ${url})`);
    return { client, nodes: [client], timeout, close: () => closeClient(client, timeout) };
  }
  const cluster = createCluster({
    rootNodes: spec.cluster.rootNodes,
    defaults: { socket: { connectTimeout: timeout, reconnectStrategy: false }, disableOfflineQueue: true },
  });
  cluster.on('error', () => undefined);
  try {
    await bounded(cluster.connect(), timeout, `connecting to ${where}`);
    const nodes = (await bounded(Promise.all(cluster.masters.map((m) => cluster.nodeClient(m))), timeout, where)) as RedisClient[];
    return { client: undefined, nodes, timeout, close: () => bounded(cluster.close(), timeout, where).catch(() => cluster.destroy()) };
  } catch (error) {
    cluster.destroy();
    throw error;
  }
}

async function nodeClient(url: string, timeout: number, where: string): Promise<RedisClient> {
  const client = createClient({ url, socket: { connectTimeout: timeout, reconnectStrategy: false }, disableOfflineQueue: true });
  // a refused or dropped connection surfaces in the call that fails; an unhandled 'error' would crash
  client.on('error', () => undefined);
  try {
    await bounded(client.connect(), timeout, `connecting to ${where}`);
    await bounded(client.ping(), timeout, `PING ${where}`);
    return client as RedisClient;
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw error;
  }
}

/** Asks the sentinels, in turn, where the master called `name` is. */
async function masterUrl(name: string, sentinels: readonly HostPort[], timeout: number, where: string): Promise<string> {
  let last: unknown;
  for (const { host, port } of sentinels) {
    const url = `redis://${host.includes(':') ? `[${host}]` : host}:${port}`;
    let client: RedisClient | undefined;
    try {
      client = await nodeClient(url, timeout, `sentinel ${host}:${port}`);
      const reply = await bounded(client.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name]), timeout, `sentinel ${host}:${port}`);
      if (Array.isArray(reply) && reply.length === 2) return `redis://${String(reply[0])}:${String(reply[1])}`;
      last = new CliError('E_NOT_FOUND', `no master called ${JSON.stringify(name)} at sentinel ${host}:${port}`);
    } catch (error) {
      last = error;
    } finally {
      if (client) await closeClient(client, timeout);
    }
  }
  throw last instanceof CliError ? last : asCliError(last, where);
}

async function closeClient(client: RedisClient, timeout: number): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return client.destroy();
  await bounded(client.close(), timeout, 'closing').catch(() => client.isOpen && client.destroy());
}
