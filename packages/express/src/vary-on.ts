import { ErrorCode, InvalidOptionError, isToken, mergeVary } from '@cachette/core';
import type { RequestHandler } from 'express';
import { beforeHeaders, headerText } from './header-hooks.js';
import { markRequest } from './route-marks.js';

/**
 * Declares request headers this route's pages vary on (Django's `vary_on_headers`): their
 * values join the cache key of a `cachePage` placed after it, and they are added to the
 * response's `Vary`.
 *
 * @example
 * ```ts
 * app.get('/ua', varyOnHeaders('Accept-Language'), cachePage('15m'), (req, res) => {
 *   res.send(greeting(req.acceptsLanguages()))
 * })
 * ```
 */
export function varyOnHeaders(...names: string[]): RequestHandler {
  const fields = checkNames('varyOnHeaders', names);
  return (req, res, next) => {
    markRequest(req).varyHeaders.push(...fields);
    beforeHeaders(res, () => res.setHeader('Vary', mergeVary(headerText(res, 'vary'), fields)));
    next();
  };
}

/**
 * Declares cookies this route's pages vary on: their values join the cache key of a
 * `cachePage` placed after it (a request with any other cookie is not cached), and the
 * response says `Vary: Cookie`.
 *
 * @example
 * ```ts
 * app.get('/me', varyOnCookies('session'), cachePage('1m'), (req, res) => { res.send(profile(req)) })
 * ```
 */
export function varyOnCookies(...names: string[]): RequestHandler {
  const cookies = checkNames('varyOnCookies', names);
  return (req, res, next) => {
    markRequest(req).varyCookies.push(...cookies);
    beforeHeaders(res, () => res.setHeader('Vary', mergeVary(headerText(res, 'vary'), ['Cookie'])));
    next();
  };
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
  return new InvalidOptionError(ErrorCode.InvalidOption, `[cachette:express] ${text}`);
}
