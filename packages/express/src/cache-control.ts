import { type CacheControl, type Duration, ErrorCode, InvalidOptionError, parseDuration, patchCacheControl } from '@cachette/core';
import type { RequestHandler } from 'express';
import { beforeHeaders, headerText } from './header-hooks.js';

/** Directives of {@link cacheControl}: flags, and durations (`'5m'`, or milliseconds) sent as seconds. */
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

const FLAGS = ['public', 'private', 'noStore', 'noCache', 'mustRevalidate', 'proxyRevalidate', 'immutable', 'noTransform'] as const;
const DURATIONS = ['maxAge', 'sMaxAge', 'staleWhileRevalidate', 'staleIfError'] as const;

/**
 * Patches the response's `Cache-Control` with these directives (Django's `cache_control`):
 * other directives stay, `public` and `private` replace each other, and of two `max-age`
 * values the smaller wins. Durations are strings or milliseconds, as everywhere in cachette.
 *
 * @example
 * ```ts
 * app.get('/catalogue', cacheControl({ public: true, maxAge: '5m' }), (req, res) => { … })
 * // Cache-Control: public, max-age=300
 * ```
 */
export function cacheControl(directives: CacheControlDirectives): RequestHandler {
  const changes = resolveDirectives(directives);
  return (_req, res, next) => {
    beforeHeaders(res, () => {
      const value = patchCacheControl(headerText(res, 'cache-control'), changes);
      if (value === '') res.removeHeader('Cache-Control');
      else res.setHeader('Cache-Control', value);
    });
    next();
  };
}

/** Checks the directives once, at creation; durations become whole seconds. */
export function resolveDirectives(directives: CacheControlDirectives): Readonly<Partial<CacheControl>> {
  if (typeof directives !== 'object' || directives === null) throw invalid('cacheControl() takes an object of directives');
  const known = new Set<string>([...FLAGS, ...DURATIONS]);
  const changes: Partial<CacheControl> = {};
  for (const [name, value] of Object.entries(directives)) {
    if (!known.has(name)) throw invalid(`cacheControl(): unknown directive ${JSON.stringify(name)}`);
    if (value === undefined) continue;
    if ((FLAGS as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean') throw invalid(`cacheControl(): ${name} must be true or false`);
      changes[name as (typeof FLAGS)[number]] = value;
    } else {
      changes[name as (typeof DURATIONS)[number]] = Math.floor(parseDuration(value as Duration, `cacheControl.${name}`) / 1000);
    }
  }
  return Object.freeze(changes);
}

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, `[cachette:express] ${text}`);
}
