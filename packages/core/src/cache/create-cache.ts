import { Cache } from './cache.js';
import { Engine } from './engine.js';
import { KeySpace } from './keys.js';
import { type CacheOptions, resolveOptions } from './options.js';

/**
 * Makes a cache. With no options: one bounded memory tier, TTL 5 minutes. Every option is
 * checked here; a mistake throws `InvalidOptionError` with a stable code.
 *
 * @example
 * ```ts
 * import KeyvRedis from '@keyv/redis'
 * const cache = createCache({
 *   namespace: 'shop', version: 1,
 *   tiers: [
 *     { store: memoryStore({ maxEntries: 10_000, maxBytes: '64mb' }), ttl: '30s' },
 *     { store: keyvStore(new KeyvRedis('redis://127.0.0.1:6379')), ttl: '1h' },
 *   ],
 *   ttl: '5m', staleWhileRevalidate: '1m', staleIfError: '1h',
 * })
 * ```
 */
export function createCache(options: CacheOptions = {}): Cache {
  const resolved = resolveOptions(options);
  return new Cache(new Engine(resolved), KeySpace.root(resolved.namespace, resolved.version));
}
