import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import { isToken } from '../http/tokenizer.js';
import type { VaryDeclared } from './stored-headers.js';
import type { PageRequest } from './types.js';

/** Header and cookie names are both RFC 9110 tokens; `*` is not a name (RFC 9110 §12.5.5). */
function isVaryName(name: unknown): name is string {
  return typeof name === 'string' && name !== '*' && isToken(name);
}

/**
 * A checked list of header (`lower`) or cookie names: lower-cased if asked, sorted,
 * de-duplicated, frozen; `undefined` when it is not an array of names.
 */
export function varyNameList(list: unknown, lower: boolean): readonly string[] | undefined {
  if (!Array.isArray(list) || !list.every(isVaryName)) return undefined;
  return Object.freeze([...new Set(list.map((n: string) => (lower ? n.toLowerCase() : n)))].sort());
}

/**
 * The names a request varies on: the route's, and those declared for this request
 * (`PageRequest.varyHeaders` / `varyCookies`). Returns `route` itself when the request
 * declares none. Throws `InvalidOptionError` for a declared name that is not a token: the
 * page cache reports it and passes the request.
 *
 * @example
 * withDeclaredVary({ varyHeaders: ['accept'], varyCookies: [] }, { ...request, varyHeaders: ['X-Device'] })
 * // { varyHeaders: ['accept', 'x-device'], varyCookies: [] }
 */
export function withDeclaredVary<T extends VaryDeclared>(route: T, request: PageRequest): T {
  const { varyHeaders, varyCookies } = request;
  if (isNone(varyHeaders) && isNone(varyCookies)) return route;
  return {
    ...route,
    varyHeaders: declared(route.varyHeaders, varyHeaders, 'varyHeaders', true),
    varyCookies: declared(route.varyCookies, varyCookies, 'varyCookies', false),
  };
}

function isNone(list: unknown): boolean {
  return list === undefined || (Array.isArray(list) && list.length === 0);
}

function declared(own: readonly string[], added: unknown, name: string, lower: boolean): readonly string[] {
  if (isNone(added)) return own;
  const list = Array.isArray(added) ? varyNameList([...own, ...added], lower) : undefined;
  if (list === undefined) {
    throw new InvalidOptionError(
      ErrorCode.InvalidOption,
      message(`${name} declared for this request must be header or cookie names, not ${JSON.stringify(added)}; the request was not cached`),
    );
  }
  return list;
}

/**
 * Checks the names given to an adapter's `varyOnHeaders(…)` / `varyOnCookies(…)` where it is
 * made: at least one, each a token. Throws `InvalidOptionError` (`E_INVALID_OPTION`).
 *
 * @example
 * ```ts
 * const fields = varyOnNames('varyOnHeaders', ['Accept-Language'])
 * ```
 */
export function varyOnNames(fn: string, names: readonly string[]): readonly string[] {
  if (names.length === 0) throw invalid(`${fn}() needs at least one name`);
  const bad = names.find((name) => !isVaryName(name));
  if (bad !== undefined) throw invalid(`${fn}(): ${JSON.stringify(bad)} is not a valid name`);
  return Object.freeze([...names]);
}

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, message(text));
}
