import type { CacheStore, Entry } from '@cachette/core';
import { CliError } from '../errors.js';
import { renderValue } from '../values.js';
import type { Command } from './result.js';

/**
 * `cachette get <key>`: the entry as the application would see it — read through the cache, so
 * tag and clear marks apply — with its state and times.
 */
export const get: Command = async (session) => {
  const key = session.inv.key as string;
  const seen = inspector();
  const cache = session.cache({ before: [seen.store] });
  // a find in the Redis tier back-fills the inspector (synchronously), fresh or stale
  await cache.get(key);
  // a read that failed is a miss to the cache; here it must not pass for "not found"
  await session.settle();
  const entry = seen.entry();
  if (!entry) throw new CliError('E_NOT_FOUND', `no entry under ${JSON.stringify(key)} in ${cache.path}`);
  const now = Date.now();
  const state = stateOf(entry, now);
  const data = {
    key,
    namespace: cache.path,
    state,
    value: entry.value,
    tags: [...entry.tags],
    createdAt: iso(entry.createdAt),
    freshUntil: iso(entry.freshUntil),
    staleUntil: iso(entry.staleUntil),
    staleIfErrorUntil: iso(entry.staleIfErrorUntil),
    freshFor: Math.max(0, entry.freshUntil - now),
  };
  const tags = entry.tags.length > 0 ? ` tags: ${entry.tags.join(', ')}` : '';
  const text = `${key} (${cache.path}) ${state}, fresh until ${data.freshUntil}${tags}\n${renderValue(entry.value)}`;
  return { data, text };
};

/** A memory tier that keeps only what the cache back-fills into it. */
function inspector(): { store: CacheStore; entry(): Entry | undefined } {
  let kept: Entry | undefined;
  return {
    store: {
      name: 'inspect',
      shared: false,
      get: () => undefined,
      set: (_key, value) => {
        kept = value as Entry;
      },
      delete: () => false,
    },
    entry: () => kept,
  };
}

function stateOf(entry: Entry, now: number): 'fresh' | 'stale' | 'stale-if-error' | 'expired' {
  if (now < entry.freshUntil) return 'fresh';
  if (now < entry.staleUntil) return 'stale';
  return now < entry.staleIfErrorUntil ? 'stale-if-error' : 'expired';
}

function iso(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
