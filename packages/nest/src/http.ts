import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodePageRequest } from '@cachette/core/node';
import type { PageRequest } from '@cachette/core/pages';
import type { ExecutionContext } from '@nestjs/common';
import type { Route } from './route.js';

/** Express gives Node's objects; Fastify wraps them (`request.raw`, `reply.raw`). */
type HttpRequest = { raw?: IncomingMessage; params?: Record<string, string>; originalUrl?: string } & Partial<IncomingMessage>;
type HttpReply = { raw?: ServerResponse; hijack?: () => unknown; send?: unknown } & Partial<ServerResponse>;

/** One HTTP request as Nest hands it over, and the Node objects under it. */
export interface NestHttp {
  request: HttpRequest;
  /** Express's response, or Fastify's reply. */
  reply: HttpReply;
  req: IncomingMessage;
  res: ServerResponse;
}

/** The request and response of an `http` context, on either platform. */
export function nestHttp(context: ExecutionContext): NestHttp {
  const http = context.switchToHttp();
  const request = http.getRequest<HttpRequest>();
  const reply = http.getResponse<HttpReply>();
  return { request, reply, req: (request.raw ?? request) as IncomingMessage, res: (reply.raw ?? reply) as ServerResponse };
}

/** The core's view of the request, with the route's declared Vary names. */
export function pageRequestOf({ request, req }: NestHttp, route: Route): PageRequest {
  return nodePageRequest(req, {
    url: request.originalUrl ?? req.url,
    params: request.params,
    varyHeaders: route.varyHeaders,
    varyCookies: route.varyCookies,
  });
}

/**
 * Requests a page guard or interceptor already acted on: app-wide and per-route use may both
 * apply to one request, and the first one acts.
 */
export const seen = new WeakSet<IncomingMessage>();

/** Requests whose plain hit the page guard looked for and did not find: the interceptor does not look again. */
export const missedHit = new WeakSet<IncomingMessage>();
