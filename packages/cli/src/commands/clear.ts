import { type Command, processes } from './result.js';

/**
 * `cachette clear --namespace <name>`: `cache.clear()` over the shared tier and the bus — this
 * namespace's keys are unlinked from Redis (SCAN, never FLUSHDB), a clear mark is written, and
 * every process drops the namespace from memory.
 */
export const clear: Command = async (session) => {
  const cache = session.cache();
  await session.requireNamespace(cache.path);
  const listeners = await session.listeners();
  await cache.clear();
  await session.settle();
  return {
    data: { namespace: cache.path, listeners },
    text: `cleared ${cache.path}; ${processes(listeners)} told on ${session.inv.channel}`,
  };
};
