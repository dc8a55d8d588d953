/** The core page cache in front of a node:http handler, as an app without a framework uses it (`docs/guide/pages.md`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyPass, captureResponse, nodePageRequest, sendPage } from '@cachette/core/node';
import type { PageCache } from '@cachette/core/pages';

/** `hit` for a fresh page in memory, else `begin`, and what it decides (serve, render into the cache, pass). */
export function throughPageCache(pages: PageCache, render: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const request = nodePageRequest(req);
    const hit = pages.hit(request);
    if (hit !== undefined) {
      sendPage(res, hit);
      return;
    }
    void pages.begin(request).then((decision) => {
      if (decision.action === 'serve') return sendPage(res, decision.response);
      if (decision.action === 'pass') applyPass(res, decision);
      else captureResponse(res, decision.capture, { head: req.method === 'HEAD' });
      render(req, res);
    });
  };
}
