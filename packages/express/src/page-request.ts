import { nodePageRequest } from '@cachette/core/node';
import { marksOf, type PageRequest } from '@cachette/core/pages';
import type { Request } from 'express';

/**
 * Translates an Express request into the page cache's {@link PageRequest}, with the names
 * `varyOnHeaders` / `varyOnCookies` declared for it; decides nothing.
 *
 * @example
 * ```ts
 * app.use(async (req, res, next) => {
 *   const decision = await pageCache.begin(toPageRequest(req))
 *   // …
 * })
 * ```
 */
export function toPageRequest(req: Request): PageRequest {
  const marks = marksOf(req);
  return nodePageRequest(req, {
    // method-override rewrites req.method; the cache must see what came over the wire
    method: (req as { originalMethod?: string }).originalMethod ?? req.method,
    url: req.originalUrl,
    params: req.params,
    varyHeaders: marks?.varyHeaders,
    varyCookies: marks?.varyCookies,
  });
}
