import { type CacheControl, type Duration, ErrorCode, InvalidOptionError, parseDuration, patchCacheControl } from '@cachette/core';
import type { Context, Middleware } from 'koa';
import { headerText } from './header-text.js';

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
 * router.get('/catalogue', cacheControl({ public: true, maxAge: '5m' }), (ctx) => { … })
 * // Cache-Control: public, max-age=300
 * ```
 */
export function cacheControl(directives: CacheControlDirectives): Middleware {
  const changes = resolveDirectives(directives);
  // before the handler, so a capture inside sees it; after, as Django patches the view's response
  const patch = (ctx: Context) => {
    const value = patchCacheControl(headerText(ctx, 'Cache-Control'), changes);
    if (value === '') ctx.remove('Cache-Control');
    else ctx.set('Cache-Control', value);
  };
  return async (ctx, next) => {
    patch(ctx);
    await next();
    patch(ctx);
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
  return new InvalidOptionError(ErrorCode.InvalidOption, `[cachette:koa] ${text}`);
}
