import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import type { CacheControl } from '../http/cache-control.js';
import { type Duration, parseDuration } from '../time/duration.js';

/** Directives of every adapter's `cacheControl()`: flags, and durations (`'5m'`, or milliseconds) sent as seconds. */
export interface CacheControlDirectives {
  public?: boolean;
  private?: boolean;
  noStore?: boolean;
  noCache?: boolean;
  mustRevalidate?: boolean;
  proxyRevalidate?: boolean;
  immutable?: boolean;
  noTransform?: boolean;
  maxAge?: Duration;
  sMaxAge?: Duration;
  staleWhileRevalidate?: Duration;
  staleIfError?: Duration;
}

/** What Django's `never_cache` sends: no one may store or reuse the response. */
export const NEVER_CACHE = 'max-age=0, no-cache, no-store, must-revalidate, private';

const FLAGS = ['public', 'private', 'noStore', 'noCache', 'mustRevalidate', 'proxyRevalidate', 'immutable', 'noTransform'] as const;
const DURATIONS = ['maxAge', 'sMaxAge', 'staleWhileRevalidate', 'staleIfError'] as const;
const KNOWN = new Set<string>([...FLAGS, ...DURATIONS]);

/**
 * Checks `cacheControl()` directives once, where the middleware or decorator is made, and
 * turns them into the changes `patchCacheControl` takes: durations become whole seconds.
 * Throws `InvalidOptionError` (`E_INVALID_OPTION`, or `E_INVALID_DURATION`) on a mistake.
 *
 * @param label - names the caller in error messages. Default `'cacheControl'`.
 * @example
 * ```ts
 * resolveDirectives({ public: true, maxAge: '5m' }) // { public: true, maxAge: 300 }
 * ```
 */
export function resolveDirectives(directives: CacheControlDirectives, label = 'cacheControl'): Readonly<Partial<CacheControl>> {
  if (typeof directives !== 'object' || directives === null) throw invalid(`${label}() takes an object of directives`);
  const changes: Partial<CacheControl> = {};
  for (const [name, value] of Object.entries(directives)) {
    if (!KNOWN.has(name)) throw invalid(`${label}(): unknown directive ${JSON.stringify(name)}`);
    if (value === undefined) continue;
    if ((FLAGS as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean') throw invalid(`${label}(): ${name} must be true or false`);
      changes[name as (typeof FLAGS)[number]] = value;
    } else {
      changes[name as (typeof DURATIONS)[number]] = Math.floor(parseDuration(value as Duration, `${label}.${name}`) / 1000);
    }
  }
  return Object.freeze(changes);
}

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, message(text));
}
