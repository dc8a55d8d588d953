import { AsyncLocalStorage } from 'node:async_hooks';
import { CachetteError, ErrorCode, LoaderTimeoutError, message } from '../errors.js';
import { type Duration, parseDuration } from '../time/duration.js';
import type { Engine } from './engine.js';
import { canStandInForError, type Entry, makeEntry } from './entry.js';
import { jitteredTtl } from './jitter.js';
import { type ResolvedEntryPolicy, resolveTags } from './options.js';
import { TimeoutSignal, withTimeout } from './timeout.js';

/** What a loader receives. */
export interface LoaderContext<T = unknown> {
  /** The caller's key. */
  key: string;
  /** Aborted when the loader passes its hard timeout. */
  signal: AbortSignal;
  /** The stale value being replaced, if any (a refresh, or a fall-back candidate). */
  stale: T | undefined;
  /** Overrides the TTL for this value. */
  setTtl(ttl: Duration): void;
  /** Overrides the tags for this value. */
  setTags(tags: readonly string[]): void;
  /** Returns this value to the callers, but does not store it. */
  noStore(): void;
}

/** A function that produces the value on a miss. */
export type Loader<T> = (ctx: LoaderContext<T>) => T | Promise<T>;

/** One load to run: what to call, with which policy, and what may stand in for it. */
export interface LoadJob<T> {
  key: string;
  storeKey: string;
  loader: Loader<T>;
  policy: ResolvedEntryPolicy;
  tags: readonly string[];
  fallback: Entry | undefined;
  clearMarks: readonly string[];
  background: boolean;
}

/** The store keys whose loaders are running in the current async context, innermost last. */
const loading = new AsyncLocalStorage<readonly string[]>();

/**
 * Throws `E_RECURSIVE_LOAD` when called from inside the loader of `storeKey` (directly or through
 * other keys' loaders): that call would wait on its own flight forever.
 */
export function assertNotLoading(storeKey: string, key: string): void {
  const chain = loading.getStore();
  if (chain === undefined || !chain.includes(storeKey)) return;
  throw new CachetteError(
    ErrorCode.RecursiveLoad,
    message(
      `getOrSet(${JSON.stringify(key)}) was called from inside the loader of that same key; it would wait on itself. ` +
        'Load the value directly inside the loader, or use another key.',
    ),
  );
}

/**
 * Runs a loader once for its key (the engine's single-flight), under the cluster lock when
 * there is one, with the hard timeout; stores the value; on failure answers with the stale
 * value while stale-if-error allows, else rejects every waiter with the same error.
 */
export function startLoad<T>(engine: Engine, job: LoadJob<T>): Promise<T> {
  return engine.flights.run(job.storeKey, () => runLoad(engine, job)) as Promise<T>;
}

async function runLoad<T>(engine: Engine, job: LoadJob<T>): Promise<T> {
  const release = await acquireLock(engine, job);
  try {
    if (release) {
      // another process may have filled the shared tiers while we waited for the lock
      const found = await engine.lookup(job.storeKey, job.clearMarks, 0);
      if (found && engine.clock.now() < found.entry.freshUntil) return found.entry.value as T;
    }
    return await callLoader(engine, job);
  } finally {
    await release?.().catch((error: Error) => engine.reportError(error, 'unlock', job.key));
  }
}

async function callLoader<T>(engine: Engine, job: LoadJob<T>): Promise<T> {
  const since = engine.invalidations.begin();
  try {
    return await loadAndStore(engine, job, since);
  } finally {
    engine.invalidations.end();
  }
}

async function loadAndStore<T>(engine: Engine, job: LoadJob<T>, since: number): Promise<T> {
  const { clock } = engine;
  const controller = new AbortController();
  let ttl = job.policy.ttl;
  let tags = job.tags;
  let store = true;
  const ctx: LoaderContext<T> = {
    key: job.key,
    signal: controller.signal,
    stale: job.fallback?.value as T | undefined,
    setTtl: (value) => {
      ttl = parseDuration(value, 'setTtl');
    },
    setTags: (value) => {
      tags = resolveTags(value);
    },
    noStore: () => {
      store = false;
    },
  };
  const started = clock.now();
  engine.stats.loads++;
  let value: T;
  try {
    // the loader runs with its key on the chain, so that a getOrSet of that key inside it fails fast
    const chain = job.background ? [job.storeKey] : [...(loading.getStore() ?? []), job.storeKey];
    const work = Promise.resolve().then(() => loading.run(chain, () => job.loader(ctx)));
    value = await withTimeout(work, job.policy.hardTimeout, clock);
  } catch (cause) {
    const error = cause instanceof TimeoutSignal ? timeoutError(job.key, cause, controller) : cause;
    engine.stats.loadErrors++;
    emitLoad(engine, job, started, false, error);
    return fallBack(engine, job, error);
  }
  emitLoad(engine, job, started, true);
  // a value begun before its key, a tag or its namespace was invalidated is answered, not stored
  if (store && engine.current(since, job.storeKey, tags, job.clearMarks)) {
    const jittered = jitteredTtl(ttl, job.policy.jitter);
    const entry = makeEntry(value, { ...job.policy, ttl: jittered }, tags, clock.now());
    // a read of this key begun earlier must not land its older value over this one
    engine.invalidate([job.storeKey], entry.createdAt);
    await engine.write(job.storeKey, entry, 0, engine.tiers.length, job.key);
    engine.stats.sets++;
  }
  return value;
}

function fallBack<T>(engine: Engine, job: LoadJob<T>, error: unknown): T {
  const { fallback } = job;
  if (fallback && canStandInForError(fallback, engine.clock.now())) {
    engine.stats.fallbacks++;
    engine.events.emit('fallback', { key: job.key, error });
    return fallback.value as T;
  }
  throw error;
}

async function acquireLock<T>(engine: Engine, job: LoadJob<T>): Promise<(() => Promise<void>) | undefined> {
  const { lock, lockTimeout } = engine.options;
  if (!lock) return undefined;
  try {
    const ttl = job.policy.hardTimeout > 0 ? job.policy.hardTimeout : 30_000;
    return await lock.acquire(job.storeKey, { ttl, wait: lockTimeout });
  } catch (error) {
    // a broken lock must not stop the load: run it here, as a waiter that timed out would
    engine.reportError(error as Error, 'lock', job.key);
    return undefined;
  }
}

function timeoutError(key: string, cause: TimeoutSignal, controller: AbortController): LoaderTimeoutError {
  const error = new LoaderTimeoutError(
    ErrorCode.LoaderTimeout,
    message(`loader for ${JSON.stringify(key)} passed its hard timeout of ${cause.ms}ms`),
    {
      cause,
    },
  );
  controller.abort(error);
  return error;
}

function emitLoad<T>(engine: Engine, job: LoadJob<T>, started: number, ok: boolean, error?: unknown): void {
  engine.stats.loaded(engine.clock.now() - started);
  if (!engine.events.wants('load')) return;
  engine.events.emit('load', {
    key: job.key,
    background: job.background,
    ok,
    duration: engine.clock.now() - started,
    ...(ok ? {} : { error }),
  });
}

/**
 * With a stale value in hand, answers with it if the load takes longer than `softTimeout`;
 * the load goes on and stores its value when done.
 */
export function raceSoftTimeout<T>(engine: Engine, load: Promise<T>, stale: T, softTimeout: number, key: string): Promise<T> {
  return Promise.resolve(withTimeout(load, softTimeout, engine.clock)).catch((error: unknown) => {
    if (!(error instanceof TimeoutSignal)) throw error;
    engine.stats.fallbacks++;
    const late = message(`the load of ${key} passed its softTimeout (${softTimeout}ms); the stale value answered`);
    engine.events.emit('fallback', { key, error: new LoaderTimeoutError(ErrorCode.LoaderTimeout, late, { cause: error }) });
    load.catch(() => undefined);
    return stale;
  });
}
