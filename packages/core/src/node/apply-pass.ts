import type { ServerResponse } from 'node:http';
import type { PageDecision } from '../page/types.js';
import { onFinished } from './on-finished.js';

/**
 * Does what a `pass` decision asks of a Node response before the handler runs: sets its headers
 * (this cache's `Cache-Status`) and, when it wants to know how the response ended (an unsafe
 * method's invalidation), calls its `onFinish` once the response has finished.
 *
 * @example
 * ```ts
 * if (decision.action === 'pass') applyPass(res, decision)
 * ```
 */
export function applyPass(res: ServerResponse, decision: Extract<PageDecision, { action: 'pass' }>): void {
  const { headers, onFinish } = decision;
  if (headers !== undefined) for (const name in headers) res.setHeader(name, headers[name] as string);
  if (onFinish !== undefined) onFinished(res, onFinish);
}
