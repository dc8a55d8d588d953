import type { RedisConnection } from '@cachette/redis';

/**
 * Where the workers find Redis, from the environment: `REDIS_CLUSTER` (root nodes,
 * `redis://host:port,redis://host:port`), `REDIS_SENTINEL` (`<master name>@host:port,host:port`)
 * or `REDIS_URL` (one server; default `redis://127.0.0.1:6379`).
 */
export function redisFromEnv(env: NodeJS.ProcessEnv = process.env): RedisConnection {
  if (env.REDIS_CLUSTER) return { cluster: { rootNodes: env.REDIS_CLUSTER.split(',').map((url) => ({ url })) } };
  if (env.REDIS_SENTINEL) {
    const [name = '', nodes = ''] = env.REDIS_SENTINEL.split('@');
    const sentinelRootNodes = nodes.split(',').map((node) => {
      const colon = node.lastIndexOf(':');
      return { host: node.slice(0, colon), port: Number(node.slice(colon + 1)) };
    });
    return { sentinel: { name, sentinelRootNodes } };
  }
  return { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
}
