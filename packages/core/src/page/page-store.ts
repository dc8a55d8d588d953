import { ErrorCode, message, SerializationError } from '../errors.js';
import type { RawHeaders } from '../http/headers.js';
import type { RenderFlights } from './flights.js';
import { pageKey, urlTag, varyListKey } from './key.js';
import { isVaryList, variantHeaders } from './learn-vary.js';
import type { ResolvedPageOptions } from './options.js';
import { type PlainMemo, rememberStored } from './plain-hit.js';
import { prepareRecord } from './ready-page.js';
import { coversVaryList, isPageRecord, type PageRecord } from './record.js';
import type { CacheableRequest } from './request-policy.js';
import { keptFor } from './revalidate-request.js';
import type { PageDecision, PageRequest } from './types.js';

/** What one page cache (one route) keeps between requests. */
export interface PageContext {
  options: ResolvedPageOptions;
  flights: RenderFlights;
  /** Keys with a background revalidation under way, until when. */
  revalidating: Map<string, number>;
  /** Hands a recovered error to `onError`, which must not throw into a request either. */
  report(error: unknown): void;
  /** The decision for a request the cache does not handle (with its `Cache-Status`, if named). */
  bypass: PageDecision;
  /** What plain GETs of each URL resolve to (the hit path, `plainHit`). */
  plain: PlainMemo;
}

/** What the cache holds for a request. */
export interface Lookup {
  /** The Vary list learned for the URL; `undefined` when nothing is stored for it. */
  varyNames: readonly string[] | undefined;
  /**
   * The key of the request's variant under that list, or before one is learned under the
   * route's own `varyHeaders` (not the names declared for this request): renders wait on it.
   */
  key: string;
  record: PageRecord | undefined;
}

/**
 * Django's `get_cache_key`: reads the URL's Vary list, builds the variant key from the
 * request's values of those headers, reads the page. A store that fails reads as a miss.
 */
export async function lookupPage(ctx: PageContext, headers: RawHeaders, request: CacheableRequest): Promise<Lookup> {
  const inMemory = peekPage(ctx, headers, request);
  if (inMemory !== undefined) return inMemory;
  const { keyPrefix, varyHeaders } = ctx.options;
  const { scheme, host, path } = request.target;
  const list = await read(ctx, varyListKey(keyPrefix, scheme, host, path), isVaryList, 'Vary list');
  const key = variantKey(ctx, headers, request, list ?? varyHeaders);
  const found = list === undefined ? undefined : await readPage(ctx, key);
  // Keys encode the names, so this holds by construction; checked anyway, as Varnish checks every secondary key.
  const record = found !== undefined && list !== undefined && coversVaryList(found, list) ? found : undefined;
  return { varyNames: list, key, record };
}

// Values already checked once: a memory tier hands back the same objects hit after hit.
const CHECKED = new WeakSet<object>();

/** True when `value` passes `check`; each object is checked once (the memory tier hands back the same objects). */
export function checkedOnce<T>(value: unknown, check: (value: unknown) => value is T): value is T {
  if (typeof value !== 'object' || value === null) return false;
  if (CHECKED.has(value)) return true;
  if (!check(value)) return false;
  CHECKED.add(value);
  return true;
}

/**
 * A fresh page and its list read synchronously from the memory tier (the hit path: no store
 * call, no promise per read); `undefined` sends the lookup down the tiers, where stale, soft
 * purged and shared-tier entries are found.
 */
function peekPage(ctx: PageContext, headers: RawHeaders, request: CacheableRequest): Lookup | undefined {
  const { cache, keyPrefix } = ctx.options;
  if (typeof cache.peek !== 'function') return undefined;
  const { scheme, host, path } = request.target;
  const list = cache.peek(varyListKey(keyPrefix, scheme, host, path));
  if (!checkedOnce(list, isVaryList)) return undefined;
  const key = variantKey(ctx, headers, request, list);
  const record = cache.peek(key);
  if (!checkedOnce(record, isPageRecord) || !coversVaryList(record, list)) return undefined;
  return { varyNames: list, key, record };
}

/** The key of the request's variant when the page varies on `varyNames`. */
export function variantKey(ctx: PageContext, headers: RawHeaders, request: CacheableRequest, varyNames: readonly string[]): string {
  const { scheme, host, path } = request.target;
  return pageKey({
    keyPrefix: ctx.options.keyPrefix,
    scheme,
    host,
    path,
    headers: variantHeaders(headers, withoutVariantReads(varyNames, request), request.cookies),
    cookies: request.cookies.pairs,
    variants: request.variants,
  });
}

/** A variant stands for the headers it read: one entry per language, not per `Accept-Language` string. */
function withoutVariantReads(varyNames: readonly string[], request: CacheableRequest): readonly string[] {
  const reads = request.variantReads;
  return reads === undefined || reads.length === 0 ? varyNames : varyNames.filter((name) => !reads.includes(name));
}

/**
 * Django's `learn_cache_key`: stores the page under its variant key, then the URL's Vary list.
 * Both writes start at once: the memory tier takes them in that order (whoever reads the new
 * list there finds the page), and a slow shared tier holds neither back. Both carry the URL
 * tag; the page also the route's tags. `rendered`, the request the page was rendered for: plain
 * requests like it are answered by the hit path from the first one on (see `rememberStored`).
 */
export async function storePage(
  ctx: PageContext,
  key: string,
  request: CacheableRequest,
  varyNames: readonly string[],
  record: PageRecord,
  tags: readonly string[],
  rendered?: PageRequest,
): Promise<void> {
  const { cache, keyPrefix, longestLife } = ctx.options;
  const { scheme, host, path } = request.target;
  const tag = urlTag(keyPrefix, host, path);
  const life = keptFor(record, ctx.options);
  // The page cache keeps freshness itself (see PageRecord): no engine-level stale windows or jitter.
  const entry = { staleWhileRevalidate: 0, staleIfError: 0, jitter: 0 };
  const page = cache.set(key, Object.freeze(prepareRecord(record)), { ...entry, ttl: life, tags: [tag, ...tags] });
  // Site-wide, a response's own max-age may outlive every configured TTL: the list lives as long as its longest page.
  const listLife = Math.max(longestLife, life);
  const names = Object.freeze([...varyNames]);
  const list = cache.set(varyListKey(keyPrefix, scheme, host, path), names, { ...entry, ttl: listLife, tags: [tag] });
  await Promise.all([page, list]);
  // the objects the memory tier now holds: the hit path finds them by identity
  if (rendered !== undefined) rememberStored(ctx, rendered, names, key, record);
}

/**
 * The record under `key`, its freshness cut short when the cache holds the entry stale (a soft
 * purge, `expireByTag`): then served stale while one background render refreshes it, as data
 * is, or not at all for a page that may never be served stale.
 */
async function readPage(ctx: PageContext, key: string): Promise<PageRecord | undefined> {
  const cache = ctx.options.cache;
  // A cache made by another copy of core may not have getEntry: plain reads, no soft purge.
  if (typeof cache.getEntry !== 'function') return read(ctx, key, isPageRecord, 'page');
  try {
    const found = await cache.getEntry(key);
    if (found === undefined) return undefined;
    if (!isPageRecord(found.value)) {
      ctx.report(new SerializationError(ErrorCode.CorruptEntry, message('a stored page does not have the expected shape; ignored')));
      return undefined;
    }
    const record = found.value;
    if (found.freshUntil >= record.freshUntil) return record;
    const freshUntil = found.freshUntil;
    return { ...record, freshUntil, staleUntil: record.noStale === false ? record.staleUntil : freshUntil };
  } catch (error) {
    ctx.report(error);
    return undefined;
  }
}

async function read<T>(ctx: PageContext, key: string, check: (value: unknown) => value is T, what: string): Promise<T | undefined> {
  try {
    const value = await ctx.options.cache.get(key);
    if (value === undefined || check(value)) return value;
    ctx.report(new SerializationError(ErrorCode.CorruptEntry, message(`a stored ${what} does not have the expected shape; ignored`)));
  } catch (error) {
    ctx.report(error);
  }
  return undefined;
}
