import { nodePageRequest } from '@cachette/core/node';
import { marksOf, type PageRequest } from '@cachette/core/pages';
import type { Context } from 'koa';

/**
 * Translates a Koa context into the page cache's {@link PageRequest}, with the names
 * `varyOnHeaders` / `varyOnCookies` declared for it; decides nothing.
 *
 * @example
 * ```ts
 * app.use(async (ctx, next) => {
 *   const decision = await pageCache.begin(toPageRequest(ctx))
 *   // …
 * })
 * ```
 */
export function toPageRequest(ctx: Context): PageRequest {
  const marks = marksOf(ctx);
  return nodePageRequest(ctx.req, {
    url: ctx.originalUrl,
    // @koa/router puts route parameters on ctx.params
    params: (ctx as { params?: Record<string, unknown> }).params,
    varyHeaders: marks?.varyHeaders,
    varyCookies: marks?.varyCookies,
  });
}
