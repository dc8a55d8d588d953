import type { TLSSocket } from 'node:tls';
import type { PageRequest } from '@cachette/core';
import type { Context } from 'koa';

/**
 * Translates a Koa context into the page cache's {@link PageRequest}; decides nothing.
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
  const socket = ctx.req.socket as Partial<TLSSocket> | undefined;
  const request: PageRequest = {
    method: ctx.req.method ?? ctx.method,
    url: ctx.originalUrl,
    headers: ctx.req.headers,
    secure: socket?.encrypted === true,
    hasBody: hasBody(ctx.req.headers),
    params: flatParams((ctx as { params?: Record<string, unknown> }).params),
  };
  if (socket?.localAddress !== undefined && socket.localPort !== undefined) {
    request.local = { address: socket.localAddress, port: socket.localPort };
  }
  return request;
}

/** RFC 9112 §6.3: a request has a body when it is framed by Transfer-Encoding or a positive Content-Length. */
function hasBody(headers: Context['req']['headers']): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  return Number(headers['content-length'] ?? 0) > 0;
}

// @koa/router puts route parameters on ctx.params; wildcards may come as arrays.
function flatParams(params: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    out[name] = Array.isArray(value) ? value.join('/') : String(value);
  }
  return out;
}
