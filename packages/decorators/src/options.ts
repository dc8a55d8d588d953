import { type Cache, type Duration, ErrorCode, InvalidOptionError, isCache, parseDuration } from '@cachette/core';

/**
 * A cache, or a function that returns one when a decorated method runs.
 *
 * @example
 * ```ts
 * @Cacheable({ cache: () => app.cache })
 * ```
 */
export type CacheSource = Cache | (() => Cache);

/**
 * Where a decorator finds its cache. Shared by `@Cacheable`, `@CacheEvict` and `@CachePut`.
 * The cache is looked up at each call, so a class may be declared before its cache exists.
 *
 * @example
 * ```ts
 * @CacheEvict({ cache: reportsCache, namespace: 'reports', all: true })
 * ```
 */
export interface CacheTargetOptions {
  /** The cache to use. Default: the tsyringe registration under `CACHETTE_CACHE`, else `setDefaultCache`'s. */
  cache?: CacheSource;
  /** A namespace of that cache (`cache.namespace(name)`), so that keys, tags and `clear()` are its own. Default: none. */
  namespace?: string;
}

/**
 * How long a stored result lives, and its tags. Each defaults to the cache's own setting.
 *
 * @example
 * ```ts
 * @Cacheable({ ttl: '10m', staleWhileRevalidate: '1m', tags: (id: number) => [`user:${id}`] })
 * ```
 */
export interface CacheEntryOptions<Args extends unknown[]> {
  /** How long the result is fresh. Default: the cache's `ttl`. */
  ttl?: Duration;
  /** How long past freshness a stale result is served while one refresh runs. Default: the cache's. */
  staleWhileRevalidate?: Duration;
  /** How long past freshness a stale result stands in for a method that throws. Default: the cache's. */
  staleIfError?: Duration;
  /** Tags for `cache.deleteByTag`, or a function of the method's arguments that returns them. Default: none. */
  tags?: readonly string[] | ((...args: Args) => readonly string[]);
}

/** Entry options with durations already in milliseconds, and tags as a function of the call. */
export interface ResolvedEntryOptions {
  times: Readonly<{ ttl?: number; staleWhileRevalidate?: number; staleIfError?: number }>;
  tags: TagsOf | undefined;
}

/** An option function, as called: with the method's `this` and arguments. */
export type ArgsFn<R> = (this: unknown, ...args: unknown[]) => R;

/** The tags of one call. */
export type TagsOf = (thisArg: unknown, args: unknown[]) => readonly string[];

/** An `InvalidOptionError` (`E_INVALID_OPTION`) whose message names this package. */
export function invalidOption(text: string, cause?: unknown): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, `[cachette:decorators] ${text}`, cause === undefined ? undefined : { cause });
}

/** Throws unless `options` is a plain options object; `required` names the decorator for the message. */
export function checkOptions(options: unknown, decorator: string, required: boolean): void {
  if (options === undefined && !required) return;
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(`${decorator}(options): options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
}

/** Throws unless `value` is a function (or absent, when optional). */
export function checkFunction(value: unknown, name: string, decorator: string, optional = true): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'function') {
    throw invalidOption(`${decorator}: ${name} must be a function of the method's arguments, got ${typeof value}`);
  }
}

/** Checks `cache` and `namespace`; the namespace's format is checked by core when it is first used. */
export function checkTarget(options: CacheTargetOptions, decorator: string): void {
  const { cache, namespace } = options;
  if (cache !== undefined && typeof cache !== 'function' && !isCache(cache)) {
    throw invalidOption(`${decorator}: cache must be a Cache (from createCache) or a function that returns one`);
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) {
    throw invalidOption(`${decorator}: namespace must be a non-empty string`);
  }
}

/** Parses durations now (`E_INVALID_DURATION` at decoration time) and checks tags. */
export function resolveEntryOptions(options: CacheEntryOptions<unknown[]>, decorator: string): ResolvedEntryOptions {
  const times: { ttl?: number; staleWhileRevalidate?: number; staleIfError?: number } = {};
  for (const name of ['ttl', 'staleWhileRevalidate', 'staleIfError'] as const) {
    const value = options[name];
    if (value !== undefined) times[name] = parseDuration(value, name);
  }
  return { times: Object.freeze(times), tags: resolveTags(options.tags, decorator) };
}

/** Checks a `tags` option once; tags returned by a function are checked at each call. */
export function resolveTags(tags: CacheEntryOptions<unknown[]>['tags'], decorator: string): TagsOf | undefined {
  if (tags === undefined) return undefined;
  if (typeof tags === 'function') {
    return (thisArg, args) => checkTags(tags.apply(thisArg, args), decorator, 'tags() returned');
  }
  const fixed = Object.freeze([...checkTags(tags, decorator, 'tags')]);
  return () => fixed;
}

function checkTags(tags: unknown, decorator: string, what: string): readonly string[] {
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string' && tag.length > 0)) {
    throw invalidOption(`${decorator}: ${what} ${JSON.stringify(tags) ?? String(tags)}; tags must be an array of non-empty strings`);
  }
  return tags;
}

/** What `@Cacheable` and `@CachePut` resolve from their options, once, where they are written. */
export interface StoreSettings {
  target: CacheTargetOptions;
  entry: ResolvedEntryOptions;
  key: ArgsFn<string> | undefined;
  condition: ArgsFn<boolean> | undefined;
}

/** Checks the options `@Cacheable` and `@CachePut` share and freezes what they resolve to. */
export function resolveStoreSettings(
  options: CacheTargetOptions & CacheEntryOptions<unknown[]> & { key?: unknown; condition?: unknown },
  decorator: string,
): StoreSettings {
  checkFunction(options.key, 'key', decorator);
  checkFunction(options.condition, 'condition', decorator);
  checkTarget(options, decorator);
  return Object.freeze({
    target: Object.freeze({ cache: options.cache, namespace: options.namespace }),
    entry: resolveEntryOptions(options, decorator),
    key: options.key as ArgsFn<string> | undefined,
    condition: options.condition as ArgsFn<boolean> | undefined,
  });
}
