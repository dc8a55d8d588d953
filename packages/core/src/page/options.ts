import type { Cache } from '../cache/cache.js';
import { isCache } from '../cache/is-cache.js';
import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import { isValidHost } from '../http/host.js';
import { parseBytes } from '../stores/byte-size.js';
import { type Clock, systemClock } from '../time/clock.js';
import { type Duration, parseDuration } from '../time/duration.js';
import { defaultPageCache } from './default-cache.js';
import { warnWithoutHosts } from './host-warning.js';
import { type RevalidationSecrets, resolveRevalidationSecrets } from './revalidation-secret.js';
import type { PageCacheOptions, PageRequest } from './types.js';
import { type ResolvedVariants, resolveVariants } from './variants.js';
import { varyNameList } from './vary-names.js';

/**
 * Where a page's TTL comes from: `route` (`cachePage(ttl)`: the route's TTL, the response's own
 * freshness only patched down to it, as Django's `cache_page`) or `response` (site-wide, Django's
 * cache middleware: the response's own `max-age`, the configured TTL only when it states none).
 */
export type TtlSource = 'route' | 'response';

/** `PageCacheOptions` with the `ttl`, checked, in ms, frozen. */
export interface ResolvedPageOptions {
  cache: Cache;
  ttlFrom: TtlSource;
  keyPrefix: string;
  /** Storable statuses and their TTL in ms. */
  statuses: ReadonlyMap<number, number>;
  /** The longest a stored page (or Vary list) may be of use, in ms. */
  longestLife: number;
  staleWhileRevalidate: number;
  staleIfError: number;
  tags: (request: PageRequest) => readonly string[];
  hosts: readonly string[] | undefined;
  trustProxy: boolean;
  cacheStatus: string | undefined;
  maxBodyBytes: number;
  lockTimeout: number;
  /** What background revalidations are signed with: the fleet's secrets, or this process's own. */
  revalidationSecrets: RevalidationSecrets;
  onError: (error: unknown) => void;
  /** Lower-cased, sorted, de-duplicated. */
  varyHeaders: readonly string[];
  /** Sorted, de-duplicated. */
  varyCookies: readonly string[];
  sortQuery: boolean;
  honorClientNoCache: boolean;
  variants: ResolvedVariants;
  strict: boolean;
  clock: Clock;
}

// RFC 8941 §3.3.4 sf-token: the form a Cache-Status cache name takes (RFC 9211 §2).
const SF_TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;
// Printable ASCII without space: kept readable, never ambiguous inside the hashed key.
const KEY_PREFIX = /^[!-~]{0,64}$/;
// Never storable, whatever a route says: partial, not-modified and server-error responses.
const NEVER_STORED = new Set([206, 304]);

/**
 * Checks every option of `createPageCache` and returns a new frozen object; throws
 * `InvalidOptionError` (`E_INVALID_OPTION` / `E_INVALID_DURATION`) on the first mistake.
 */
export function resolvePageOptions(ttl: Duration, options: PageCacheOptions = {}, ttlFrom: TtlSource = 'route'): ResolvedPageOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  const statuses = resolveStatuses(positiveDuration(ttl, 'ttl'), options.statuses);
  const staleWhileRevalidate = parseDuration(options.staleWhileRevalidate ?? 0, 'staleWhileRevalidate');
  const staleIfError = parseDuration(options.staleIfError ?? 0, 'staleIfError');
  const keyPrefix = options.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string' || !KEY_PREFIX.test(keyPrefix))
    throw invalid('keyPrefix must be at most 64 printable ASCII characters without spaces');
  const cacheStatus = options.cacheStatus;
  if (cacheStatus !== undefined && (typeof cacheStatus !== 'string' || !SF_TOKEN.test(cacheStatus))) {
    throw invalid(`cacheStatus: ${JSON.stringify(cacheStatus)} must be a token such as 'cachette' (RFC 9211 §2)`);
  }
  if (options.cache !== undefined && !isCache(options.cache)) throw invalid('cache must be a Cache made by createCache()');
  if (options.onError !== undefined && typeof options.onError !== 'function') throw invalid('onError must be a function');
  const cache = options.cache ?? defaultPageCache();
  const hosts = resolveHosts(options.hosts);
  warnWithoutHosts(hosts);
  return Object.freeze({
    cache,
    ttlFrom,
    keyPrefix,
    statuses,
    longestLife: Math.max(...statuses.values()) + Math.max(staleWhileRevalidate, staleIfError),
    staleWhileRevalidate,
    staleIfError,
    tags: resolveTagsOption(options.tags),
    hosts,
    trustProxy: flag(options.trustProxy, 'trustProxy'),
    cacheStatus,
    maxBodyBytes: parseBytes(options.maxBodyBytes ?? '1mb', 'maxBodyBytes'),
    lockTimeout: parseDuration(options.lockTimeout ?? '5s', 'lockTimeout'),
    revalidationSecrets: resolveRevalidationSecrets(options.revalidationSecret),
    onError: options.onError ?? (() => undefined),
    varyHeaders: names(options.varyHeaders, 'varyHeaders', true),
    varyCookies: names(options.varyCookies, 'varyCookies', false),
    sortQuery: flag(options.sortQuery, 'sortQuery'),
    honorClientNoCache: flag(options.honorClientNoCache, 'honorClientNoCache'),
    variants: resolveVariants(options.variants),
    strict: flag(options.strict, 'strict'),
    clock: resolveClock(options.clock, cache),
  });
}

function resolveStatuses(ttl: number, statuses: PageCacheOptions['statuses']): ReadonlyMap<number, number> {
  if (statuses === undefined) return new Map([[200, ttl]]);
  if (typeof statuses !== 'object' || statuses === null) throw invalid('statuses must be an object such as { 200: "15m", 404: "30s" }');
  const out = new Map<number, number>();
  for (const [key, value] of Object.entries(statuses)) {
    const status = Number(key);
    // RFC 9111 §3: only final responses; a 5xx is never a page worth keeping.
    if (!/^[1-5][0-9]{2}$/.test(key) || status < 200 || status >= 500 || NEVER_STORED.has(status)) {
      throw invalid(`statuses: ${JSON.stringify(key)} is not a storable status (an integer 200-499, not 206 or 304)`);
    }
    out.set(status, positiveDuration(value as Duration, `statuses[${key}]`));
  }
  if (out.size === 0) throw invalid('statuses: give at least one status, or leave statuses out for { 200: ttl }');
  return out;
}

function resolveHosts(hosts: PageCacheOptions['hosts']): readonly string[] | undefined {
  if (hosts === undefined) return undefined;
  if (!Array.isArray(hosts) || hosts.length === 0)
    throw invalid('hosts must be a non-empty array such as [".example.com"]; leave it out to allow any valid host');
  for (const host of hosts) {
    const name = typeof host === 'string' ? host.replace(/^\./, '') : '';
    // A pattern with a port never matches (matchesAllowedHost): a mistake, not a silent no-cache.
    if (host !== '*' && (!isValidHost(name) || /:[0-9]+$/.test(name)))
      throw invalid(`hosts: ${JSON.stringify(host)} is not a host pattern ('*', 'example.com' or '.example.com', no port)`);
  }
  return Object.freeze([...hosts]);
}

function resolveTagsOption(tags: PageCacheOptions['tags']): (request: PageRequest) => readonly string[] {
  if (tags === undefined) return () => [];
  if (typeof tags === 'function') return tags;
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.length > 0))
    throw invalid('tags must be an array of non-empty strings or a function of the request');
  const fixed = Object.freeze([...tags]);
  return () => fixed;
}

function names(list: readonly string[] | undefined, name: string, lower: boolean): readonly string[] {
  if (list === undefined) return Object.freeze([]);
  const checked = varyNameList(list, lower);
  if (checked === undefined) throw invalid(`${name} must be an array of header or cookie names`);
  return checked;
}

/** The clock given, else the cache's own (one made by another copy of core may have none). */
function resolveClock(clock: Clock | undefined, cache: Cache): Clock {
  if (clock === undefined) return isClock(cache.clock) ? cache.clock : systemClock;
  if (!isClock(clock)) throw invalid('clock must have now(), setTimeout() and clearTimeout()');
  return clock;
}

function isClock(clock: Clock | undefined): clock is Clock {
  return typeof clock?.now === 'function' && typeof clock.setTimeout === 'function' && typeof clock.clearTimeout === 'function';
}

function positiveDuration(value: Duration, name: string): number {
  const ms = parseDuration(value, name);
  if (ms <= 0) throw new InvalidOptionError(ErrorCode.InvalidDuration, message(`${name}: ${JSON.stringify(value)} must be longer than 0`));
  return ms;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false`);
  return value;
}

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, message(text));
}
