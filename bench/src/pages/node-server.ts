/**
 * Plain `node:http` server of the page bench, one variant per process (`argv[2]`), pages on `/catalogue/<n>`:
 * - `static`: the floor of the machine, `writeHead` + `end` of a prebuilt Buffer
 * - `cachette`: the core page cache alone, as an app without a framework uses it: `hit` for a
 *   fresh page in memory, else `begin`, and what it decides (serve, render into the cache, pass)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPageCache } from '@cachette/core/pages';
import { PAGE_BUFFER, PAGE_JSON, PAGE_ROUTE } from './body.js';
import { benchCache } from './cache.js';
import { countHandlerCall, runServer, variantArg } from './child.js';
import { throughPageCache } from './core-handler.js';

const NODE_VARIANTS = ['static', 'cachette'] as const;
const JSON_TYPE = 'application/json; charset=utf-8';

function page(req: IncomingMessage, res: ServerResponse, body: Buffer | string): void {
  if (!req.url?.startsWith(`${PAGE_ROUTE}/`)) {
    res.writeHead(404).end();
    return;
  }
  countHandlerCall();
  res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

runServer(async () => {
  const variant = variantArg(NODE_VARIANTS);
  if (variant === 'static') return { server: createServer((req, res) => page(req, res, PAGE_BUFFER)) };
  const pages = createPageCache('15m', { cache: benchCache() });
  // the handler renders the page as a string, as an app would
  return { server: createServer(throughPageCache(pages, (req, res) => page(req, res, PAGE_JSON))) };
});
