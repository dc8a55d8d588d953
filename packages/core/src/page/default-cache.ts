import type { Cache } from '../cache/cache.js';
import { createCache } from '../cache/create-cache.js';

let shared: Cache | undefined;

/**
 * The cache pages go to when a route names none: one memory cache per process, made on
 * first use (so importing core has no side effect).
 *
 * @example
 * ```ts
 * await defaultPageCache().deleteByTag('products')
 * ```
 */
export function defaultPageCache(): Cache {
  shared ??= createCache({ namespace: 'pages' });
  return shared;
}
