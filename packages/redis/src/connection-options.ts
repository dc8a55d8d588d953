import { ErrorCode, InvalidOptionError } from '@cachette/core';
import type { RedisClusterOptions, RedisSentinelOptions } from '@redis/client';
import type { RedisClient } from './connection.js';

/** One node of a cluster to discover the others from: `{ url }` or `{ socket: { host, port } }`. */
export type RedisClusterOptionsInput = Omit<RedisClusterOptions, 'rootNodes'> & {
  rootNodes: RedisClusterOptions['rootNodes'];
};

/**
 * Where to reach Redis, the same shape for `redisStore`, `redisBus` and `redisLock`:
 * - `{ url }`: one Redis (`redis://` or `rediss://`);
 * - `{ client }`: a node-redis client you made (its lifecycle stays yours);
 * - `{ cluster }`: a Redis Cluster, as node-redis `createCluster` takes it (`rootNodes`, …);
 * - `{ sentinel }`: a master watched by Sentinel, as node-redis `createSentinel` takes it
 *   (`name`, `sentinelRootNodes`, …).
 */
export type RedisConnection =
  | { url: string }
  | { client: RedisClient }
  | { cluster: RedisClusterOptionsInput }
  | { sentinel: RedisSentinelOptions };

const KINDS = ['url', 'client', 'cluster', 'sentinel'] as const;
type Kind = (typeof KINDS)[number];

/**
 * Which of the four shapes `connection` is; throws `E_INVALID_OPTION` for anything else
 * (no shape, two shapes at once, a bad URL, a cluster without root nodes, a sentinel set
 * without a name or sentinels).
 */
export function connectionKind(connection: unknown, what: string): Kind {
  if (typeof connection !== 'object' || connection === null)
    throw invalid(`${what} needs { url }, { client }, { cluster } or { sentinel }`);
  const given = KINDS.filter((kind) => kind in connection && (connection as Record<string, unknown>)[kind] !== undefined);
  if (given.length !== 1) {
    throw invalid(
      `${what} needs exactly one of { url }, { client }, { cluster } or { sentinel }, got ${given.length === 0 ? 'none' : given.join(' and ')}`,
    );
  }
  const kind = given[0] as Kind;
  const value = (connection as Record<string, unknown>)[kind];
  if (kind === 'url') assertRedisUrl(value, `${what}: url`);
  if (kind === 'client' && (typeof value !== 'object' || value === null)) throw invalid(`${what}: client must be a node-redis client`);
  if (kind === 'cluster') assertCluster(value, what);
  if (kind === 'sentinel') assertSentinel(value, what);
  return kind;
}

function assertCluster(value: unknown, what: string): void {
  const rootNodes = (value as { rootNodes?: unknown } | null)?.rootNodes;
  if (!Array.isArray(rootNodes) || rootNodes.length === 0) throw invalid(`${what}: cluster.rootNodes must be a non-empty array`);
  for (const [i, node] of rootNodes.entries()) {
    const where = `${what}: cluster.rootNodes[${i}]`;
    if (typeof node !== 'object' || node === null) throw invalid(`${where} must be { url } or { socket: { host, port } }`);
    if ('url' in node) assertRedisUrl(node.url, where);
    else assertHostPort((node as { socket?: unknown }).socket, `${where}.socket`);
  }
}

function assertSentinel(value: unknown, what: string): void {
  const options = value as { name?: unknown; sentinelRootNodes?: unknown } | null;
  if (typeof options?.name !== 'string' || options.name.length === 0)
    throw invalid(`${what}: sentinel.name must be the monitored master's name`);
  const nodes = options.sentinelRootNodes;
  if (!Array.isArray(nodes) || nodes.length === 0)
    throw invalid(`${what}: sentinel.sentinelRootNodes must be a non-empty array of { host, port }`);
  for (const [i, node] of nodes.entries()) assertHostPort(node, `${what}: sentinel.sentinelRootNodes[${i}]`);
  // cachette follows the master itself and never reads from replicas: say so rather than ignore these
  const unused = (['replicaPoolSize', 'clientSideCache'] as const).filter((name) => Boolean((value as Record<string, unknown>)[name]));
  if (unused.length > 0) throw invalid(`${what}: sentinel.${unused.join(' and sentinel.')} is not supported (the master alone is used)`);
}

function assertHostPort(value: unknown, where: string): void {
  const node = value as { host?: unknown; port?: unknown } | null;
  const port = node?.port;
  if (
    typeof node?.host !== 'string' ||
    node.host.length === 0 ||
    !Number.isInteger(port) ||
    (port as number) < 1 ||
    (port as number) > 65_535
  ) {
    throw invalid(`${where} must be { host, port } with a port from 1 to 65535, got ${JSON.stringify(value)}`);
  }
}

function assertRedisUrl(url: unknown, where: string): void {
  let protocol = '';
  try {
    protocol = new URL(String(url)).protocol;
  } catch {
    // reported below
  }
  if (typeof url !== 'string' || (protocol !== 'redis:' && protocol !== 'rediss:')) {
    throw invalid(`${where}: ${JSON.stringify(url)} is not a redis:// or rediss:// URL`);
  }
}

export function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, `[cachette:redis] ${text}`);
}
