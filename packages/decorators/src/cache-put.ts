import type { EntryOptions } from '@cachette/core';
import { type AnyMethod, type CacheDecorator, ignore, isThenable, type MethodInfo, methodDecorator } from './method-decorator.js';
import { methodKey } from './method-key.js';
import {
  type ArgsFn,
  type CacheEntryOptions,
  type CacheTargetOptions,
  checkOptions,
  invalidOption,
  resolveStoreSettings,
  type StoreSettings,
} from './options.js';
import { resolveCache } from './resolve-cache.js';

/**
 * Options of `@CachePut`. `Args` are the parameters of the option functions, checked against the
 * decorated method's.
 *
 * @example
 * ```ts
 * const options: CachePutOptions<[user: User]> = { key: (user) => `user:${user.id}` }
 * ```
 */
export interface CachePutOptions<Args extends unknown[] = unknown[]> extends CacheTargetOptions, CacheEntryOptions<Args> {
  /** The key the result is stored under; usually the one a `@Cacheable` reader uses. Required. */
  key: (...args: Args) => string;
  /** Stores only the results of calls for which this is true. Default: every call. */
  condition?: (...args: Args) => boolean;
}

const NAME = '@CachePut';

/**
 * Always runs the method, then stores its result under `key(...args)`, so that readers of that
 * key see it at once. A method that throws stores nothing. Async methods resolve once the value
 * is stored; sync methods stay sync and store in the background.
 *
 * @example
 * ```ts
 * class UserService {
 *   @CachePut({ key: (id: number) => `user:${id}`, ttl: '10m' })
 *   async update(id: number, patch: Partial<User>): Promise<User> {
 *     return db.users.update(id, patch)
 *   }
 * }
 * ```
 */
export function CachePut<Args extends unknown[] = unknown[]>(options: CachePutOptions<Args>): CacheDecorator<Args> {
  checkOptions(options, NAME, true);
  if (options.key === undefined) throw invalidOption(`${NAME}: key is required, the key the result is stored under`);
  const settings = resolveStoreSettings(options as Parameters<typeof resolveStoreSettings>[0], NAME) as Settings;
  return methodDecorator(NAME, (original, method) => putting(original, method, settings));
}

/** `key` is required here, so it is always there. */
type Settings = StoreSettings & { key: ArgsFn<string> };

function putting(original: AnyMethod, method: MethodInfo, { target, entry, key, condition }: Settings): AnyMethod {
  const keyOf = methodKey(key, method, NAME);

  return function cachePut(this: unknown, ...args: unknown[]): unknown {
    let store: (value: unknown) => Promise<void>;
    try {
      if (condition !== undefined && !condition.apply(this, args)) return original.apply(this, args);
      // cache, key and tags are settled before the method runs: a mistake fails the call early
      const cache = resolveCache(target, `${NAME} on ${method.label(this)}`);
      const storeKey = keyOf(this, args);
      const tags = entry.tags?.(this, args);
      const options: EntryOptions = tags ? { ...entry.times, tags } : entry.times;
      store = (value) => cache.set(storeKey, value, options);
    } catch (error) {
      if (method.declaredAsync) return Promise.reject(error);
      throw error;
    }
    const result: unknown = original.apply(this, args);
    if (isThenable(result)) return Promise.resolve(result).then((value) => store(value).then(() => value));
    store(result).catch(ignore);
    return result;
  };
}
