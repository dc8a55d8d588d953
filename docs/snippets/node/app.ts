import { createServer } from 'node:http';
import { applyPass, captureResponse, nodePageRequest, sendPage } from '@cachette/core/node';
import { createPageCache } from '@cachette/core/pages';
import { cache, Products } from './products.js';

export const products = new Products();
const pages = createPageCache('15m', { cache, cacheStatus: 'cachette' });

export const server = createServer(async (req, res) => {
  const request = nodePageRequest(req);
  const hit = pages.hit(request); // a plain GET of a fresh page, answered at once
  if (hit) return sendPage(res, hit);
  const decision = await pages.begin(request); // never rejects
  if (decision.action === 'serve') return sendPage(res, decision.response); // a hit, a 304, a HEAD
  if (decision.action === 'render') captureResponse(res, decision.capture, { head: req.method === 'HEAD' }); // stored if it may be
  if (decision.action === 'pass') applyPass(res, decision); // Cache-Status; an unsafe method invalidates once it has finished
  try {
    const id = /^\/products\/(\w+)$/.exec(req.url ?? '')?.[1];
    if (!id) return res.writeHead(404).end();
    const product = await products.find(id);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(product));
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end(); // a 5xx is never stored
  }
});
