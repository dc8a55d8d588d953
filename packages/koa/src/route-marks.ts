/** What the route's own middleware declared about one request, for `cachePage` to read. */
export interface RouteMarks {
  /** Request headers declared by `varyOnHeaders`, as written. */
  varyHeaders: string[];
  /** Cookies declared by `varyOnCookies`. */
  varyCookies: string[];
  /** Set by `neverCache()`: a site-wide `cachette()` leaves this request alone. */
  neverCache: boolean;
}

// Keyed by the Koa context itself, so nothing can leak from one request into another.
const marks = new WeakMap<object, RouteMarks>();

/** The marks of `ctx`, if any middleware set one. */
export function marksOf(ctx: object): RouteMarks | undefined {
  return marks.get(ctx);
}

/** The marks of `ctx`, made on first use. */
export function markRequest(ctx: object): RouteMarks {
  let found = marks.get(ctx);
  if (found === undefined) {
    found = { varyHeaders: [], varyCookies: [], neverCache: false };
    marks.set(ctx, found);
  }
  return found;
}
