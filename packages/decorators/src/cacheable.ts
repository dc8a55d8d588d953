import type { LoaderContext } from '@cachette/core';
import { type AnyMethod, type CacheDecorator, ignore, isThenable, type MethodInfo, methodDecorator } from './method-decorator.js';
import { methodKey } from './method-key.js';
import { type CacheEntryOptions, type CacheTargetOptions, checkOptions, resolveStoreSettings, type StoreSettings } from './options.js';
import { resolveCache } from './resolve-cache.js';

/**
 * Options of `@Cacheable`. `Args` are the parameters of the option functions, checked against the
 * decorated method's; annotate them (`(id: number) => …`), as a decorator call cannot infer them.
 * The functions are called with the method's `this`.
 *
 * @example
 * ```ts
 * const options: CacheableOptions<[id: number]> = { key: (id) => `user:${id}`, ttl: '10m' }
 * ```
 */
export interface CacheableOptions<Args extends unknown[] = unknown[]> extends CacheTargetOptions, CacheEntryOptions<Args> {
  /**
   * The cache key of a call. Default: `ClassName.method:` and the JSON of the arguments (plain
   * objects with their properties sorted, nested too, so equal content is one key), where
   * `ClassName` is the class that declares the method; for an instance of a subclass, the
   * subclass's name comes first (`Admin>Users.load:[1]`), so subclasses get their own entries
   * and an override calling its decorated `super` method gets a key of its own. Names are stable
   * across processes, as a shared tier needs; a second, different class with a name already used
   * for default keys (in the same `namespace`) is refused with `E_NAME_CLASH` — give it a
   * `namespace` or a `key`.
   */
  key?: (...args: Args) => string;
  /** Caches only the calls for which this is true; the others just run. Default: every call. */
  condition?: (...args: Args) => boolean;
}

const NAME = '@Cacheable';

/**
 * Caches a method's result with `cache.getOrSet`: concurrent calls with one key run the method
 * once, and a method that throws stores nothing (every waiting caller gets the error). An async
 * method returns the cached promise. A sync method stays sync: a hit is read with `cache.peek`
 * (first tier only, fresh values only: no stale-while-revalidate), a miss runs the method and
 * stores its result in the background; `undefined` results are not stored.
 *
 * @example
 * ```ts
 * class UserService {
 *   @Cacheable({ key: (id: number) => `user:${id}`, ttl: '10m', tags: (id: number) => [`user:${id}`] })
 *   async load(id: number): Promise<User> {
 *     return db.users.find(id)
 *   }
 * }
 * ```
 */
export function Cacheable<Args extends unknown[] = unknown[]>(options: CacheableOptions<Args> = {}): CacheDecorator<Args> {
  checkOptions(options, NAME, false);
  const settings = resolveStoreSettings(options as Parameters<typeof resolveStoreSettings>[0], NAME);
  return methodDecorator(NAME, (original, method) => cached(original, method, settings));
}

type Settings = StoreSettings;

function cached(original: AnyMethod, method: MethodInfo, { target, entry, key, condition }: Settings): AnyMethod {
  const keyOf = methodKey(key, method, NAME, target.namespace);
  // a method not declared async is taken as sync until it first returns a promise
  let isAsync = method.declaredAsync;
  const skip = (thisArg: unknown, args: unknown[]) => condition !== undefined && !condition.apply(thisArg, args);
  const cacheOf = (thisArg: unknown) => resolveCache(target, `${NAME} on ${method.label(thisArg)}`);

  // tags are worked out only when the method runs, not on every hit
  function load(thisArg: unknown, args: unknown[], run: () => unknown, storeKey: string): Promise<unknown> {
    const loader = (ctx: LoaderContext) => {
      if (entry.tags) ctx.setTags(entry.tags(thisArg, args));
      return run();
    };
    return cacheOf(thisArg).getOrSet(storeKey, loader, entry.times);
  }

  function callAsync(thisArg: unknown, args: unknown[]): unknown {
    if (skip(thisArg, args)) return original.apply(thisArg, args);
    return load(thisArg, args, () => original.apply(thisArg, args), keyOf(thisArg, args));
  }

  function callSync(thisArg: unknown, args: unknown[]): unknown {
    if (skip(thisArg, args)) return original.apply(thisArg, args);
    const cache = cacheOf(thisArg);
    const key = keyOf(thisArg, args);
    const hit = cache.peek(key);
    if (hit !== undefined) return hit;
    const value: unknown = original.apply(thisArg, args);
    if (isThenable(value)) {
      isAsync = true;
      // if the key's load is already under way, this promise is dropped: keep its rejection handled
      Promise.resolve(value).catch(ignore);
      return load(thisArg, args, () => value, key);
    }
    if (value !== undefined) {
      const tags = entry.tags?.(thisArg, args);
      cache.set(key, value, tags ? { ...entry.times, tags } : entry.times).catch(ignore);
    }
    return value;
  }

  return function cacheable(this: unknown, ...args: unknown[]): unknown {
    if (!isAsync) return callSync(this, args);
    try {
      return callAsync(this, args);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
