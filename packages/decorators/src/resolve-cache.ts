import { type Cache, isCache } from '@cachette/core';
import { type CacheTargetOptions, invalidOption } from './options.js';
import { loadedContainer } from './tsyringe-container.js';

/**
 * The DI token under which decorated methods look for their cache: in tsyringe's root
 * container here, and in Nest's container in `@cachette/nest` (`@InjectCache()`).
 * A registered symbol, so every copy of the package agrees on it.
 *
 * @example
 * ```ts
 * import 'reflect-metadata'
 * import { container } from 'tsyringe'
 * container.register(CACHETTE_CACHE, { useValue: createCache() })
 * ```
 */
export const CACHETTE_CACHE = Symbol.for('cachette:cache');

let defaultCache: Cache | undefined;

/**
 * Sets the cache that decorated methods use when they have no `cache` option and tsyringe has
 * nothing under `CACHETTE_CACHE`. `undefined` removes it. Decorated methods look it up at each
 * call, so this may run after the classes are declared.
 *
 * @example
 * ```ts
 * setDefaultCache(createCache({ ttl: '5m' }))
 * ```
 */
export function setDefaultCache(cache: Cache | undefined): void {
  if (cache !== undefined && !isCache(cache)) {
    throw invalidOption('setDefaultCache(cache): cache must be a Cache (from createCache) or undefined');
  }
  defaultCache = cache;
}

const views = new WeakMap<Cache, Map<string, Cache>>();

/**
 * The cache for one call, in order: the decorator's `cache` option, tsyringe's `CACHETTE_CACHE`,
 * the default cache; then its `namespace` view. Throws `E_INVALID_OPTION` when there is none.
 */
export function resolveCache(options: CacheTargetOptions, where: string): Cache {
  const cache = findCache(options, where);
  return options.namespace === undefined ? cache : namespaced(cache, options.namespace);
}

function findCache({ cache }: CacheTargetOptions, where: string): Cache {
  if (cache !== undefined) {
    const found = typeof cache === 'function' ? cache() : cache;
    if (!isCache(found)) throw invalidOption(`${where}: the cache option's function returned ${describe(found)}, not a Cache`);
    return found;
  }
  const container = loadedContainer();
  if (container?.isRegistered(CACHETTE_CACHE, true)) {
    const found = container.resolve<unknown>(CACHETTE_CACHE);
    if (!isCache(found)) throw invalidOption(`${where}: tsyringe's CACHETTE_CACHE registration gave ${describe(found)}, not a Cache`);
    return found;
  }
  if (defaultCache) return defaultCache;
  throw invalidOption(
    `${where}: no cache to use. Provide one in any of three ways: the decorator's cache option ({ cache }), ` +
      'a tsyringe registration (container.register(CACHETTE_CACHE, { useValue: cache })), ' +
      'or setDefaultCache(cache) at startup',
  );
}

// One view per cache and name, rather than a new one at every call.
function namespaced(cache: Cache, name: string): Cache {
  const byName = views.get(cache) ?? new Map<string, Cache>();
  views.set(cache, byName);
  const view = byName.get(name) ?? cache.namespace(name);
  byName.set(name, view);
  return view;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
}
