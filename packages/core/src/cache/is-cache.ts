import type { Cache } from './cache.js';

const METHODS = ['get', 'set', 'delete', 'deleteByTag', 'getOrSet', 'peek'] as const;

/**
 * Whether `value` is a {@link Cache}, by its methods rather than `instanceof`: an ESM and a CJS copy
 * of core make two Cache classes (the dual-package hazard), and a cache from either is welcome.
 *
 * @example
 * isCache(createCache()) // true
 * isCache({ get() {} }) // false
 */
export function isCache(value: unknown): value is Cache {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return METHODS.every((method) => typeof candidate[method] === 'function');
}
