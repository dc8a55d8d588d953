/** What a route's own middleware declared about one request, for the page cache in front of it to read. */
export interface RouteMarks {
  /** Request headers declared by `varyOnHeaders`, as written. */
  varyHeaders: string[];
  /** Cookies declared by `varyOnCookies`. */
  varyCookies: string[];
  /** Set by `neverCache()`: a site-wide page cache leaves this request alone. */
  neverCache: boolean;
}

// Keyed by the framework's request object itself, so nothing can leak from one request into another.
const marks = new WeakMap<object, RouteMarks>();

/**
 * The marks of a request (Express's `req`, Koa's `ctx`), if any middleware set one. For adapters.
 *
 * @example
 * ```ts
 * nodePageRequest(req, { varyHeaders: marksOf(req)?.varyHeaders })
 * ```
 */
export function marksOf(request: object): RouteMarks | undefined {
  return marks.get(request);
}

/**
 * The marks of a request, made on first use. For adapters.
 *
 * @example
 * ```ts
 * markRequest(req).varyHeaders.push('Accept-Language')
 * ```
 */
export function markRequest(request: object): RouteMarks {
  let found = marks.get(request);
  if (found === undefined) {
    found = { varyHeaders: [], varyCookies: [], neverCache: false };
    marks.set(request, found);
  }
  return found;
}
