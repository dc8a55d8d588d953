import { bounded } from '../bounded.js';
import { CliError } from '../errors.js';
import { countSpaces } from '../keyspace.js';
import { type Command, processes } from './result.js';

const INFO_FIELDS = {
  redis_version: 'version',
  uptime_in_seconds: 'uptimeSeconds',
  connected_clients: 'connectedClients',
  used_memory: 'usedMemory',
  used_memory_human: 'usedMemoryHuman',
  maxmemory: 'maxMemory',
  maxmemory_policy: 'maxMemoryPolicy',
  keyspace_hits: 'keyspaceHits',
  keyspace_misses: 'keyspaceMisses',
  evicted_keys: 'evictedKeys',
  expired_keys: 'expiredKeys',
} as const;

/**
 * `cachette stats`: what Redis holds for cachette — entries, tag marks and clear marks per
 * namespace and version — how many processes listen on the bus, and the server's own counters.
 * With `--namespace`, only that namespace (every version); `E_NOT_FOUND` if it has no keys.
 */
export const stats: Command = async (session) => {
  const { inv, admin } = session;
  const root = inv.namespaceGiven ? inv.namespace[0] : undefined;
  const spaces = await countSpaces(admin, root);
  if (root !== undefined && spaces.length === 0) {
    throw new CliError('E_NOT_FOUND', `namespace ${root} has no keys here (no ${root}@<version> keys)`);
  }
  const server = parseInfo(await bounded(admin.nodes[0]?.info() ?? Promise.resolve(''), inv.timeout, 'INFO'));
  const hits = Number(server.keyspaceHits ?? 0);
  const misses = Number(server.keyspaceMisses ?? 0);
  const listeners = await session.listeners();
  const data = {
    redis: { ...server, masters: admin.nodes.length, hitRatio: hits + misses > 0 ? hits / (hits + misses) : null },
    bus: { channel: inv.channel, listeners },
    namespaces: spaces,
  };
  const rows = spaces.map(
    (s) => `  ${s.path.padEnd(28)} ${pad(s.entries)} entries ${pad(s.tagMarks)} tag marks ${pad(s.clearMarks)} clear marks`,
  );
  const text = [
    `redis ${server.version ?? '?'}, ${server.usedMemoryHuman ?? '?'} used, ${server.connectedClients ?? '?'} clients, hit ratio ${
      data.redis.hitRatio === null ? 'n/a' : `${(data.redis.hitRatio * 100).toFixed(1)}%`
    }`,
    `bus ${inv.channel}: ${processes(listeners)} listening`,
    spaces.length > 0 ? 'namespaces:' : 'no cachette keys',
    ...rows,
  ].join('\n');
  return { data, text };
};

/** The fields of `INFO` an operator sizes a cache with, by our names. */
function parseInfo(info: string): Partial<Record<(typeof INFO_FIELDS)[keyof typeof INFO_FIELDS], string | number>> {
  const out: Record<string, string | number> = {};
  for (const line of info.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = INFO_FIELDS[line.slice(0, colon) as keyof typeof INFO_FIELDS];
    if (colon < 0 || !name) continue;
    const value = line.slice(colon + 1).trim();
    out[name] = /^\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

function pad(n: number): string {
  return String(n).padStart(8);
}
