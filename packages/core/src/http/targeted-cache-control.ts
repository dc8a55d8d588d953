import { type CacheControl, MAX_DELTA_SECONDS, parseCacheControl } from './cache-control.js';
import { type DictionaryValue, parseDictionary } from './structured-fields.js';

type Flag =
  | 'public'
  | 'private'
  | 'noStore'
  | 'noCache'
  | 'mustRevalidate'
  | 'proxyRevalidate'
  | 'immutable'
  | 'noTransform'
  | 'mustUnderstand';
type Seconds = 'maxAge' | 'sMaxAge' | 'staleWhileRevalidate' | 'staleIfError';

const FLAGS = new Map<string, Flag>([
  ['public', 'public'],
  ['private', 'private'],
  ['no-store', 'noStore'],
  ['no-cache', 'noCache'],
  ['must-revalidate', 'mustRevalidate'],
  ['proxy-revalidate', 'proxyRevalidate'],
  ['immutable', 'immutable'],
  ['no-transform', 'noTransform'],
  ['must-understand', 'mustUnderstand'],
]);
const SECONDS = new Map<string, Seconds>([
  ['max-age', 'maxAge'],
  ['s-maxage', 'sMaxAge'],
  ['stale-while-revalidate', 'staleWhileRevalidate'],
  ['stale-if-error', 'staleIfError'],
]);
// Their qualified forms (a list of field names) restrict all the same (RFC 9111 §5.2.2.4, §5.2.2.7).
const QUALIFIABLE = new Set<Flag>(['private', 'noCache']);

/**
 * Parses a targeted cache-control field such as `CDN-Cache-Control` (RFC 9213 §2.1): a structured
 * Dictionary with the directives of `Cache-Control`, durations as Integers. `undefined` when the
 * field is empty, does not parse, or gives a duration that is not a non-negative Integer: such a
 * field is ignored whole, and the cache falls back to `Cache-Control` (RFC 9213 §2.1).
 *
 * @example
 * parseTargetedCacheControl('max-age=60, must-revalidate')?.maxAge // 60
 * parseTargetedCacheControl('max-age=60.5') // undefined
 */
export function parseTargetedCacheControl(value: string | undefined): CacheControl | undefined {
  const members = value === undefined ? undefined : parseDictionary(value);
  if (members === undefined) return undefined;
  const cc = parseCacheControl(undefined);
  for (const [name, item] of members) {
    const flag = FLAGS.get(name);
    if (flag !== undefined) {
      if (item === true || (QUALIFIABLE.has(flag) && isQualified(item))) cc[flag] = true;
      continue;
    }
    const key = SECONDS.get(name);
    if (key === undefined) continue;
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0) return undefined;
    cc[key] = Math.min(item, MAX_DELTA_SECONDS);
  }
  return cc;
}

function isQualified(item: DictionaryValue): boolean {
  return typeof item === 'string' || Array.isArray(item);
}
