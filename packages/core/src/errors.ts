/** Stable error codes raised by cachette. Match on `error.code`, not on messages. */
export const ErrorCode = {
  InvalidOption: 'E_INVALID_OPTION',
  InvalidDuration: 'E_INVALID_DURATION',
  InvalidKey: 'E_INVALID_KEY',
  NotSerializable: 'E_NOT_SERIALIZABLE',
  CorruptEntry: 'E_CORRUPT_ENTRY',
  StoreError: 'E_STORE_ERROR',
  StoreTimeout: 'E_STORE_TIMEOUT',
  LoaderTimeout: 'E_LOADER_TIMEOUT',
  /** `getOrSet` for a key from inside the loader of that same key (it would wait on itself). */
  RecursiveLoad: 'E_RECURSIVE_LOAD',
  /** Two different classes with one name would share default decorator keys. */
  NameClash: 'E_NAME_CLASH',
  /** The bus could not subscribe or publish; other processes may keep stale memory entries. */
  BusError: 'E_BUS_ERROR',
  /** The distributed lock could not be taken or released; the load went on without it. */
  LockError: 'E_LOCK_ERROR',
  /** A page's background revalidation (stale-while-revalidate) failed; the stale page stays. */
  RevalidationFailed: 'E_REVALIDATION_FAILED',
  /** The client left before the page was complete; nothing was stored. */
  ResponseAborted: 'E_RESPONSE_ABORTED',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Base class of every error cachette throws or reports.
 *
 * @example
 * ```ts
 * try { createCache({ ttl: 'soon' }) }
 * catch (e) { if (e instanceof CachetteError && e.code === 'E_INVALID_DURATION') … }
 * ```
 */
export class CachetteError<Code extends ErrorCode = ErrorCode> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A configuration or argument mistake, thrown where the cache or middleware is set up
 * (`E_INVALID_OPTION`, `E_INVALID_DURATION`, `E_INVALID_KEY`).
 *
 * @example
 * ```ts
 * expect(() => createCache({ tiers: [] })).toThrow(InvalidOptionError)
 * ```
 */
export class InvalidOptionError extends CachetteError<
  typeof ErrorCode.InvalidOption | typeof ErrorCode.InvalidDuration | typeof ErrorCode.InvalidKey | typeof ErrorCode.NameClash
> {}

/**
 * A value that cannot be written to a shared store (`E_NOT_SERIALIZABLE`) or a stored
 * value that cannot be read back (`E_CORRUPT_ENTRY`).
 *
 * @example
 * ```ts
 * await cache.set('fn', () => 1) // rejects with SerializationError, code E_NOT_SERIALIZABLE
 * ```
 */
export class SerializationError extends CachetteError<typeof ErrorCode.NotSerializable | typeof ErrorCode.CorruptEntry> {}

/**
 * A store call that failed (`E_STORE_ERROR`) or did not answer in time (`E_STORE_TIMEOUT`).
 * Reported through the `error` event; never thrown into a read that the loader can answer.
 *
 * @example
 * ```ts
 * cache.on('error', ({ error }) => { if (error instanceof StoreError) metrics.inc(error.code) })
 * ```
 */
export class StoreError extends CachetteError<typeof ErrorCode.StoreError | typeof ErrorCode.StoreTimeout> {}

/**
 * A loader that passed its hard timeout with no stale value to fall back on (`E_LOADER_TIMEOUT`);
 * also the error of the `fallback` event when a stale value answered past `softTimeout`.
 *
 * @example
 * ```ts
 * await cache.getOrSet('slow', load, { hardTimeout: '2s' }) // may reject with LoaderTimeoutError
 * ```
 */
export class LoaderTimeoutError extends CachetteError<typeof ErrorCode.LoaderTimeout> {}

/**
 * The bus (`E_BUS_ERROR`) or the distributed lock (`E_LOCK_ERROR`) failed; the client's error is
 * the `cause`. Reported through the `error` event; the cache goes on without them.
 *
 * @example
 * ```ts
 * cache.on('error', ({ error }) => { if (error instanceof CoordinationError) alert(error.code, error.cause) })
 * ```
 */
export class CoordinationError extends CachetteError<typeof ErrorCode.BusError | typeof ErrorCode.LockError> {}

/** Prefix every message with the package, as `[cachette:core] …`. */
export function message(text: string, pkg = 'core'): string {
  return `[cachette:${pkg}] ${text}`;
}
