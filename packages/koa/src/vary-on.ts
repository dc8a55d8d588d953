import { ErrorCode, InvalidOptionError, isToken, mergeVary } from '@cachette/core';
import type { Context, Middleware } from 'koa';
import { headerText } from './header-text.js';
import { markRequest } from './route-marks.js';

/**
 * Declares request headers this route's pages vary on (Django's `vary_on_headers`): their
 * values join the cache key of a `cachePage` placed after it, and they are added to the
 * response's `Vary`.
 *
 * @example
 * ```ts
 * router.get('/ua', varyOnHeaders('Accept-Language'), cachePage('15m'), (ctx) => {
 *   ctx.body = greeting(ctx.acceptsLanguages())
 * })
 * ```
 */
export function varyOnHeaders(...names: string[]): Middleware {
  const fields = checkNames('varyOnHeaders', names);
  return async (ctx, next) => {
    markRequest(ctx).varyHeaders.push(...fields);
    await patchVary(ctx, next, fields);
  };
}

/**
 * Declares cookies this route's pages vary on: their values join the cache key of a
 * `cachePage` placed after it (a request with any other cookie is not cached), and the
 * response says `Vary: Cookie`.
 *
 * @example
 * ```ts
 * router.get('/me', varyOnCookies('session'), cachePage('1m'), (ctx) => { ctx.body = profile(ctx) })
 * ```
 */
export function varyOnCookies(...names: string[]): Middleware {
  const cookies = checkNames('varyOnCookies', names);
  return async (ctx, next) => {
    markRequest(ctx).varyCookies.push(...cookies);
    await patchVary(ctx, next, ['Cookie']);
  };
}

// Before the handler, so a capture inside sees it; after, as Django patches the view's response.
async function patchVary(ctx: Context, next: () => Promise<unknown>, fields: readonly string[]): Promise<void> {
  const patch = () => ctx.set('Vary', mergeVary(headerText(ctx, 'Vary'), fields));
  patch();
  await next();
  patch();
}

function checkNames(fn: string, names: readonly string[]): readonly string[] {
  if (names.length === 0) throw invalid(`${fn}() needs at least one name`);
  for (const name of names) {
    // header and cookie names are both RFC 9110 tokens; `*` is not a name (RFC 9110 §12.5.5)
    if (typeof name !== 'string' || name === '*' || !isToken(name)) {
      throw invalid(`${fn}(): ${JSON.stringify(name)} is not a valid name`);
    }
  }
  return Object.freeze([...names]);
}

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, `[cachette:koa] ${text}`);
}
