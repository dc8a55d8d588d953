import { formatDirectives, parseDirectives } from './tokenizer.js';

/** The largest delta-seconds a cache keeps; bigger values clamp to it (RFC 9111 §1.2.2). */
export const MAX_DELTA_SECONDS = 2_147_483_648;

/** A parsed `Cache-Control` field (RFC 9111 §5.2); durations are whole seconds. */
export interface CacheControl {
  public: boolean;
  /** Also true for the qualified `private="set-cookie"` form (RFC 9111 §5.2.2.7). */
  private: boolean;
  noStore: boolean;
  /** Also true for the qualified `no-cache="x"` form (RFC 9111 §5.2.2.4). */
  noCache: boolean;
  mustRevalidate: boolean;
  proxyRevalidate: boolean;
  immutable: boolean;
  noTransform: boolean;
  mustUnderstand: boolean;
  maxAge: number | undefined;
  sMaxAge: number | undefined;
  staleWhileRevalidate: number | undefined;
  staleIfError: number | undefined;
  /** A bare `max-stale` (any staleness, RFC 9111 §5.2.1.2) reads as {@link MAX_DELTA_SECONDS}. */
  maxStale: number | undefined;
  minFresh: number | undefined;
  /** A delta-seconds argument was malformed; it was read as its most restrictive value. */
  invalid: boolean;
}

type Flag = { [K in keyof CacheControl]: CacheControl[K] extends boolean ? K : never }[keyof CacheControl];
type Seconds = Exclude<keyof CacheControl, Flag>;

// Stable output order of formatCacheControl.
const FLAGS: ReadonlyArray<readonly [Flag, string]> = [
  ['public', 'public'],
  ['private', 'private'],
  ['noStore', 'no-store'],
  ['noCache', 'no-cache'],
  ['mustRevalidate', 'must-revalidate'],
  ['proxyRevalidate', 'proxy-revalidate'],
  ['mustUnderstand', 'must-understand'],
  ['noTransform', 'no-transform'],
  ['immutable', 'immutable'],
];
const SECONDS: ReadonlyArray<readonly [Seconds, string]> = [
  ['maxAge', 'max-age'],
  ['sMaxAge', 's-maxage'],
  ['staleWhileRevalidate', 'stale-while-revalidate'],
  ['staleIfError', 'stale-if-error'],
  ['maxStale', 'max-stale'],
  ['minFresh', 'min-fresh'],
];
const FLAG_BY_NAME = new Map(FLAGS.map(([key, name]) => [name, key]));
const SECONDS_BY_NAME = new Map(SECONDS.map(([key, name]) => [name, key]));
// Directives that widen who may cache; honoured only in their bare, valid form.
const PERMISSIVE: ReadonlySet<Flag> = new Set<Flag>(['public', 'immutable']);

/**
 * Parses a `Cache-Control` field, leaning to "do not cache" on anything malformed.
 *
 * Names are case-insensitive; unknown directives are ignored (RFC 9111 §5.2.3). A
 * malformed delta-seconds sets `invalid` and reads as 0 (`min-fresh`: as the maximum),
 * since a malformed freshness value means stale (RFC 9111 §4.2.1). Repeated directives:
 * the most restrictive wins (smallest, or largest for `min-fresh`). `public=x` and
 * `immutable=x` are ignored; restrictive flags count whatever their argument.
 *
 * @example
 * parseCacheControl('public, max-age=60, MAX-AGE=30').maxAge // 30
 */
export function parseCacheControl(value: string | undefined): CacheControl {
  const cc = emptyCacheControl();
  if (value === undefined) return cc;
  for (const directive of parseDirectives(value)) {
    const flag = FLAG_BY_NAME.get(directive.name);
    if (flag !== undefined) {
      if (directive.value === undefined || !PERMISSIVE.has(flag)) cc[flag] = true;
      continue;
    }
    const key = SECONDS_BY_NAME.get(directive.name);
    if (key !== undefined) applySeconds(cc, key, directive.value);
  }
  return cc;
}

function emptyCacheControl(): CacheControl {
  const cc = { invalid: false } as CacheControl;
  for (const [key] of FLAGS) cc[key] = false;
  for (const [key] of SECONDS) cc[key] = undefined;
  return cc;
}

function applySeconds(cc: CacheControl, key: Seconds, argument: string | undefined): void {
  let seconds = argument === undefined && key === 'maxStale' ? MAX_DELTA_SECONDS : parseDeltaSeconds(argument);
  if (seconds === undefined) {
    cc.invalid = true;
    seconds = key === 'minFresh' ? MAX_DELTA_SECONDS : 0;
  }
  const previous = cc[key];
  if (previous === undefined) cc[key] = seconds;
  else cc[key] = key === 'minFresh' ? Math.max(previous, seconds) : Math.min(previous, seconds);
}

/** delta-seconds = 1*DIGIT (RFC 9111 §1.2.2); anything else is undefined. */
function parseDeltaSeconds(argument: string | undefined): number | undefined {
  if (argument === undefined || !/^[0-9]+$/.test(argument)) return undefined;
  return argument.length > 10 ? MAX_DELTA_SECONDS : Math.min(Number(argument), MAX_DELTA_SECONDS);
}

/** Coerces a caller's number to delta-seconds: NaN and negatives to 0, floored, clamped. */
function toDeltaSeconds(value: number): number {
  return value >= 0 ? Math.min(Math.floor(value), MAX_DELTA_SECONDS) : 0;
}

/**
 * Formats a `Cache-Control` field in a stable order; `false`/`undefined` are left out.
 *
 * Numbers are floored and clamped to [0, {@link MAX_DELTA_SECONDS}] (NaN becomes 0).
 *
 * @example
 * formatCacheControl({ public: true, maxAge: 60 }) // 'public, max-age=60'
 */
export function formatCacheControl(cc: Partial<CacheControl>): string {
  return [...renderChanges(cc).values()].filter((part) => part !== null).join(', ');
}

/**
 * Applies `changes` to an existing `Cache-Control` field, as Django's `patch_cache_control`.
 *
 * `true` sets a flag, `false` removes it (with its qualified form), `undefined` leaves it.
 * Setting `public` removes `private` and vice versa; asked for both, `private` wins. Like
 * Django, when the field already has a `max-age`, the smaller of the two is kept (an
 * invalid existing one counts as 0). Unknown and untouched directives are kept in place.
 * Returns `''` when nothing is left.
 *
 * @example
 * patchCacheControl('private, max-age=30, x-ext="1"', { public: true, maxAge: 60 })
 * // 'max-age=30, x-ext=1, public'
 */
export function patchCacheControl(existing: string | undefined, changes: Partial<CacheControl>): string {
  const next: Partial<CacheControl> = { ...changes };
  if (changes.private === true) next.public = false;
  else if (changes.public === true) next.private = false;
  if (changes.maxAge !== undefined) {
    const current = parseCacheControl(existing).maxAge;
    if (current !== undefined) next.maxAge = Math.min(current, toDeltaSeconds(changes.maxAge));
  }
  const pending = renderChanges(next);
  const parts: string[] = [];
  for (const directive of existing === undefined ? [] : parseDirectives(existing)) {
    const part = pending.get(directive.name);
    if (part === undefined) {
      parts.push(formatDirectives([directive]));
    } else {
      // A changed directive takes the place of its first occurrence; repeats are dropped.
      if (part !== null) parts.push(part);
      pending.set(directive.name, null);
    }
  }
  for (const part of pending.values()) if (part !== null) parts.push(part);
  return parts.join(', ');
}

/** Each directive named in `changes`, by name, rendered; `null` when set to `false`. */
function renderChanges(changes: Partial<CacheControl>): Map<string, string | null> {
  const parts = new Map<string, string | null>();
  for (const [key, name] of FLAGS) {
    const on = changes[key];
    if (on !== undefined) parts.set(name, on ? name : null);
  }
  for (const [key, name] of SECONDS) {
    const seconds = changes[key];
    if (seconds !== undefined) parts.set(name, `${name}=${toDeltaSeconds(seconds)}`);
  }
  return parts;
}
