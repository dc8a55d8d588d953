import { CliError } from './errors.js';

/** A Redis node as host and port (sentinels are given this way). */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Where Redis is, in the one shape `@cachette/redis` takes for its store, bus and lock: one
 * server, a Redis Cluster (its root nodes) or a Sentinel set (the master's name and sentinels).
 */
export type ConnectionSpec =
  | { url: string }
  | { cluster: { rootNodes: Array<{ url: string }> } }
  | { sentinel: { name: string; sentinelRootNodes: HostPort[] } };

/** Reads `--redis`, `--cluster` and `--sentinel`; exactly one may be given. Undefined when none is. */
export function parseConnection(values: { redis?: string; cluster?: string; sentinel?: string }): ConnectionSpec | undefined {
  const given = (['redis', 'cluster', 'sentinel'] as const).filter((flag) => values[flag] !== undefined);
  if (given.length > 1)
    throw new CliError('E_USAGE', `give one of --redis, --cluster, --sentinel, not ${given.map((f) => `--${f}`).join(' and ')}`);
  if (values.redis !== undefined) return { url: redisUrl(values.redis, '--redis') };
  if (values.cluster !== undefined) {
    const rootNodes = list(values.cluster, '--cluster').map((node) => ({
      url: redisUrl(node.includes('://') ? node : `redis://${node}`, '--cluster'),
    }));
    return { cluster: { rootNodes } };
  }
  if (values.sentinel !== undefined) {
    const at = values.sentinel.indexOf('@');
    const name = values.sentinel.slice(0, at);
    if (at < 1) throw invalidUrl(`--sentinel ${JSON.stringify(values.sentinel)}: write it as <master name>@host:port,host:port`);
    const sentinelRootNodes = list(values.sentinel.slice(at + 1), '--sentinel').map((node) => hostPort(node, '--sentinel'));
    return { sentinel: { name, sentinelRootNodes } };
  }
  return undefined;
}

/** A short text for messages: the URL without its password, or the nodes. */
export function describeConnection(spec: ConnectionSpec): string {
  if ('url' in spec) return redact(spec.url);
  if ('cluster' in spec) return `cluster ${spec.cluster.rootNodes.map((n) => redact(n.url)).join(',')}`;
  return `sentinel ${spec.sentinel.name}@${spec.sentinel.sentinelRootNodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
}

function redisUrl(text: string, flag: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw invalidUrl(`${flag} ${JSON.stringify(redact(text))} is not a redis://host:port or rediss://host:port URL`);
  }
  if (url.port !== '' && !validPort(Number(url.port))) throw invalidUrl(`${flag} ${JSON.stringify(redact(text))}: bad port`);
  return text;
}

function hostPort(text: string, flag: string): HostPort {
  const colon = text.lastIndexOf(':');
  const host = text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(text.slice(colon + 1));
  if (colon < 1 || host === '' || !/^\d+$/.test(text.slice(colon + 1)) || !validPort(port)) {
    throw invalidUrl(`${flag}: ${JSON.stringify(text)} is not host:port`);
  }
  return { host, port };
}

function list(text: string, flag: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw invalidUrl(`${flag} ${JSON.stringify(text)}: give nodes as host:port,host:port`);
  return items;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}

/** Hides a password in a URL, for messages. */
function redact(text: string): string {
  return text.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

function invalidUrl(text: string): CliError {
  return new CliError('E_INVALID_URL', text);
}
