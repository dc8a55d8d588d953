import type { TLSSocket } from 'node:tls';
import type { PageRequest } from '@cachette/core';
import type { Request } from 'express';

/**
 * Translates an Express request into the page cache's {@link PageRequest}; decides nothing.
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
  const socket = req.socket as Partial<TLSSocket> | undefined;
  const request: PageRequest = {
    // method-override rewrites req.method; the cache must see what came over the wire
    method: (req as { originalMethod?: string }).originalMethod ?? req.method,
    url: req.originalUrl,
    headers: req.headers,
    secure: socket?.encrypted === true,
    hasBody: hasBody(req.headers),
    params: flatParams(req.params),
  };
  if (socket?.localAddress !== undefined && socket.localPort !== undefined) {
    request.local = { address: socket.localAddress, port: socket.localPort };
  }
  return request;
}

/** RFC 9112 §6.3: a request has a body when it is framed by Transfer-Encoding or a positive Content-Length. */
function hasBody(headers: Request['headers']): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  return Number(headers['content-length'] ?? 0) > 0;
}

// Express 5 gives wildcard parameters (`/*path`) as arrays of segments.
function flatParams(params: Request['params'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    out[name] = Array.isArray(value) ? value.join('/') : String(value);
  }
  return out;
}
