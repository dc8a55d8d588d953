import { createServer } from 'node:http';
import { captureResponse, nodePageRequest, writePage } from '@cachette/core/node';
import { createPageCache } from '@cachette/core/pages';
import { cache, Products } from './products.js';

export const products = new Products();
const pages = createPageCache('15m', { cache, cacheStatus: 'cachette' });

export const server = createServer(async (req, res) => {
  const decision = await pages.begin(nodePageRequest(req)); // never rejects
  const head = req.method === 'HEAD';
  if (decision.action === 'serve') return writePage(res, decision.response, res, { head, replace: false }); // a hit or a 304
  if (decision.action === 'render') captureResponse(res, decision.capture, { head }); // stored if it may be
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
