import type { ServerResponse } from 'node:http';
import type { PageResponse } from '../page/types.js';
import { sendPage } from './write-page.js';

/** Hits waiting for the end of this loop turn's I/O phase: response, page, response, page, … */
let queued: (ServerResponse | PageResponse)[] = [];

/**
 * Sends a page the core served (a hit) once the event loop's poll phase is over (`setImmediate`),
 * with every other page queued in that phase, each in one `writeHead` + `end` ({@link sendPage}).
 * A response that is already written (by middleware upstream, an error handler) or whose client
 * went away gets nothing. Until then, middleware upstream may still set headers, which go out
 * with the page; the page's own fields win over ones of the same name.
 *
 * Why later: written inside the HTTP parser's callback, each response wakes its client while the
 * server still has requests of the same poll to read; written together after the poll, the
 * server reads more requests per loop turn and spends less CPU per response (bench/README.md).
 *
 * @example
 * ```ts
 * const hit = pages.hit(nodePageRequest(req))
 * if (hit !== undefined) return sendPageLater(res, hit)
 * ```
 */
export function sendPageLater(res: ServerResponse, page: PageResponse): void {
  if (queued.length === 0) setImmediate(sendQueued);
  queued.push(res, page);
}

function sendQueued(): void {
  const batch = queued;
  queued = [];
  for (let i = 0; i + 1 < batch.length; i += 2) {
    const res = batch[i] as ServerResponse;
    if (res.headersSent || res.writableEnded || res.destroyed) continue;
    try {
      sendPage(res, batch[i + 1] as PageResponse);
    } catch {
      // a header upstream set that Node refuses: nothing can be sent; never crash the process
      res.destroy();
    }
  }
}
