import { countSpaces } from '../keyspace.js';
import { type Command, processes } from './result.js';

/**
 * `cachette bump-version --namespace <name> --version <n>`: what raising the cache's `version`
 * does (every entry dropped at once), without a deploy and in constant time: a clear mark for
 * `<name>@<n>` in Redis and on the bus, no SCAN. Every process and tier stops serving the old
 * entries now; Redis lets them expire. Raise `version` in the application's config at its next
 * deploy to start on a fresh key space.
 */
export const bumpVersion: Command = async (session) => {
  const { inv } = session;
  const cache = session.cache({ logicalClear: true });
  await session.requireNamespace(cache.path);
  const listeners = await session.listeners();
  await cache.clear();
  await session.settle();
  const left = (await countSpaces(session.admin, inv.namespace[0])).filter(
    (s) => s.path === cache.path || s.path.startsWith(`${cache.path}/`),
  );
  const keysLeft = left.reduce((n, s) => n + s.entries, 0);
  const next = inv.version + 1;
  return {
    data: { namespace: cache.path, retiredVersion: inv.version, nextVersion: next, keysLeft, listeners },
    text: [
      `retired ${cache.path}: its ${keysLeft} entries are no longer served; ${processes(listeners)} told on ${inv.channel}`,
      `set version: ${next} in the application's cache options; once it runs on ${next}, \`cachette clear --namespace ${inv.namespace.join('/')} --version ${inv.version}\` frees the old keys before they expire`,
    ].join('\n'),
  };
};
