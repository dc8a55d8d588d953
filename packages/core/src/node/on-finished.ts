import type { ServerResponse } from 'node:http';
import type { RawHeaders } from '../http/headers.js';
import { beforeHeaders } from './header-hooks.js';

/**
 * Calls `onFinish(status, headers)` once the response has finished, for a `pass` decision. The
 * headers are all those that went out: also the ones a handler hands straight to
 * `res.writeHead(status, headers)`, which Node otherwise keeps out of `res.getHeaders()` (a
 * forwarding proxy, Fastify's reply).
 *
 * @example
 * ```ts
 * if (decision.action === 'pass' && decision.onFinish) onFinished(res, decision.onFinish)
 * ```
 */
export function onFinished(res: ServerResponse, onFinish: (status: number, headers?: RawHeaders) => void): void {
  // A header hook makes writeHead apply its headers to the response first (see beforeHeaders).
  beforeHeaders(res, () => undefined);
  res.once('finish', () => onFinish(res.statusCode, res.getHeaders()));
}
