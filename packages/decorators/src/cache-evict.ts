import type { Cache } from '@cachette/core';
import { type AnyMethod, type CacheDecorator, ignore, isThenable, type MethodInfo, methodDecorator } from './method-decorator.js';
import { type KeyOf, methodKey } from './method-key.js';
import {
  type ArgsFn,
  type CacheTargetOptions,
  checkFunction,
  checkOptions,
  checkTarget,
  invalidOption,
  resolveTags,
  type TagsOf,
} from './options.js';
import { resolveCache } from './resolve-cache.js';

/**
 * Options of `@CacheEvict`; give at least one of `key`, `tags` and `all`.
 *
 * @example
 * ```ts
 * const options: CacheEvictOptions<[id: number]> = { key: (id) => `user:${id}`, tags: ['users'] }
 * ```
 */
export interface CacheEvictOptions<Args extends unknown[] = unknown[]> extends CacheTargetOptions {
  /** The key to delete, from the method's arguments. Default: none. */
  key?: (...args: Args) => string;
  /** Tags whose entries are deleted (`cache.deleteByTag`), or a function of the arguments. Default: none. */
  tags?: readonly string[] | ((...args: Args) => readonly string[]);
  /** Clear the whole cache (or its `namespace`). Default `false`. */
  all?: boolean;
  /** Evict before the method runs, and so even when it throws. Default `false`: only after it succeeds. */
  beforeInvocation?: boolean;
}

const NAME = '@CacheEvict';

/**
 * Deletes cache entries when a method succeeds (the promise of an async method resolves): the
 * entry under `key(...args)`, the entries tagged `tags(...args)`, or with `all` the whole cache.
 * A method that throws evicts nothing, unless `beforeInvocation`. Async methods return once the
 * eviction is done; sync methods stay sync (the in-process tier is cleared at once).
 *
 * @example
 * ```ts
 * class UserService {
 *   @CacheEvict({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
 *   async rename(id: number, name: string): Promise<void> {
 *     await db.users.update(id, { name })
 *   }
 * }
 * ```
 */
export function CacheEvict<Args extends unknown[] = unknown[]>(options: CacheEvictOptions<Args>): CacheDecorator<Args> {
  checkOptions(options, NAME, true);
  checkFunction(options.key, 'key', NAME);
  checkTarget(options, NAME);
  if (options.all !== undefined && typeof options.all !== 'boolean') throw invalidOption(`${NAME}: all must be a boolean`);
  if (options.key === undefined && options.tags === undefined && options.all !== true) {
    throw invalidOption(`${NAME}: say what to evict: key, tags or all: true`);
  }
  const settings: Settings = Object.freeze({
    target: Object.freeze({ cache: options.cache, namespace: options.namespace }),
    key: options.key as Settings['key'],
    tags: resolveTags(options.tags as readonly string[] | undefined, NAME),
    all: options.all === true,
    before: options.beforeInvocation === true,
  });
  return methodDecorator(NAME, (original, method) => evicting(original, method, settings));
}

interface Settings {
  target: CacheTargetOptions;
  key: ArgsFn<string> | undefined;
  tags: TagsOf | undefined;
  all: boolean;
  before: boolean;
}

function evicting(original: AnyMethod, method: MethodInfo, settings: Settings): AnyMethod {
  const keyOf = settings.key ? methodKey(settings.key, method, NAME) : undefined;

  return function cacheEvict(this: unknown, ...args: unknown[]): unknown {
    let evict: () => Promise<void>;
    try {
      // cache, keys and tags are settled before the method runs: a mistake fails the call early
      evict = plan(this, args, settings, keyOf, method);
    } catch (error) {
      if (method.declaredAsync) return Promise.reject(error);
      throw error;
    }
    if (settings.before) {
      if (method.declaredAsync) return evict().then(() => original.apply(this, args));
      const eviction = evict();
      eviction.catch(ignore); // a sync method does not wait; an async result waits below
      const result: unknown = original.apply(this, args);
      if (isThenable(result)) return Promise.all([eviction, result]).then(([, value]) => value);
      return result;
    }
    const result: unknown = original.apply(this, args);
    if (isThenable(result)) return Promise.resolve(result).then((value) => evict().then(() => value));
    evict().catch(ignore);
    return result;
  };
}

function plan(thisArg: unknown, args: unknown[], settings: Settings, keyOf: KeyOf | undefined, method: MethodInfo): () => Promise<void> {
  const cache: Cache = resolveCache(settings.target, `${NAME} on ${method.label(thisArg)}`);
  const key = keyOf?.(thisArg, args);
  const tags = settings.tags?.(thisArg, args);
  return async () => {
    // all three start at once: the in-process tier is cleared before the first await
    const work: Promise<unknown>[] = [];
    if (settings.all) work.push(cache.clear());
    if (key !== undefined) work.push(cache.delete(key));
    if (tags !== undefined && tags.length > 0) work.push(cache.deleteByTag(tags));
    await Promise.all(work);
  };
}
