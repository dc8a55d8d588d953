import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PageRequest } from '../page/types.js';

/** What a framework knows of a request beyond Node's `IncomingMessage`. */
export interface NodePageRequestExtra {
  /** Path and query as received, when the framework rewrote `req.url` (Express's `originalUrl`). Default `req.url`. */
  url?: string;
  /** The method that came over the wire, when a method override rewrote `req.method`. Default `req.method`. */
  method?: string;
  /** Route parameters; arrays (wildcard segments) are joined with `/`. */
  params?: Record<string, unknown>;
  /** Request headers the route declared for this request (`varyOnHeaders`). */
  varyHeaders?: readonly string[];
  /** Cookies the route declared for this request (`varyOnCookies`). */
  varyCookies?: readonly string[];
}

/**
 * Translates a Node `IncomingMessage` (Express's `req`, Koa's `ctx.req`, Fastify's
 * `request.raw`) into a {@link PageRequest}; decides nothing.
 *
 * @example
 * ```ts
 * const decision = await pages.begin(nodePageRequest(req, { url: req.originalUrl, params: req.params }))
 * ```
 */
export function nodePageRequest(req: IncomingMessage, extra: NodePageRequestExtra = {}): PageRequest {
  const socket = req.socket as Partial<TLSSocket> | undefined;
  const request: PageRequest = {
    // unknown method or URL: judged not cacheable, never guessed
    method: extra.method ?? req.method ?? '',
    url: extra.url ?? req.url ?? '',
    headers: req.headers,
    secure: socket?.encrypted === true,
    hasBody: hasBody(req.headers),
  };
  if (extra.params !== undefined) request.params = flatParams(extra.params);
  if (extra.varyHeaders !== undefined && extra.varyHeaders.length > 0) request.varyHeaders = extra.varyHeaders;
  if (extra.varyCookies !== undefined && extra.varyCookies.length > 0) request.varyCookies = extra.varyCookies;
  if (socket?.localAddress !== undefined && socket.localPort !== undefined) {
    request.local = { address: socket.localAddress, port: socket.localPort, tls: socket.encrypted === true };
  }
  return request;
}

/** RFC 9112 §6.3: a request has a body when it is framed by Transfer-Encoding or a positive Content-Length. */
function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  return Number(headers['content-length'] ?? 0) > 0;
}

// Express 5 and @koa/router give wildcard parameters (`/*path`) as arrays of segments.
function flatParams(params: Record<string, unknown>): Record<string, string> {
  // all strings already (the common case, and every hit): taken as they are, nothing copied
  let flat = true;
  for (const name in params) if (typeof params[name] !== 'string') flat = false;
  if (flat) return params as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join('/') : String(value);
  }
  return out;
}
