/** What the route's own middleware declared about one request, for `cachePage` to read. */
export interface RouteMarks {
  /** Request headers declared by `varyOnHeaders`, as written. */
  varyHeaders: string[];
  /** Cookies declared by `varyOnCookies`. */
  varyCookies: string[];
  /** Set by `neverCache()`: a site-wide `cachette()` leaves this request alone. */
  neverCache: boolean;
}

// Keyed by the request object itself, so nothing can leak from one request into another.
const marks = new WeakMap<object, RouteMarks>();

/** The marks of `req`, if any middleware set one. */
export function marksOf(req: object): RouteMarks | undefined {
  return marks.get(req);
}

/** The marks of `req`, made on first use. */
export function markRequest(req: object): RouteMarks {
  let found = marks.get(req);
  if (found === undefined) {
    found = { varyHeaders: [], varyCookies: [], neverCache: false };
    marks.set(req, found);
  }
  return found;
}
