import { nodePageRequest } from '@cachette/core/node';
import { marksOf, type PageRequest } from '@cachette/core/pages';
import type { FastifyRequest } from 'fastify';

/**
 * Translates a Fastify request into the page cache's {@link PageRequest}, with the names
 * `varyOnHeaders` / `varyOnCookies` declared for it; decides nothing.
 *
 * @example
 * ```ts
 * fastify.addHook('onRequest', async (request, reply) => {
 *   const decision = await pageCache.begin(toPageRequest(request))
 *   // …
 * })
 * ```
 */
export function toPageRequest(request: FastifyRequest): PageRequest {
  const marks = marksOf(request);
  return nodePageRequest(request.raw, {
    // rewriteUrl changes request.url; the cache must see what came over the wire
    url: request.originalUrl,
    params: request.params as Record<string, unknown> | undefined,
    varyHeaders: marks?.varyHeaders,
    varyCookies: marks?.varyCookies,
  });
}
