/**
 * Express 5 server of the page bench, one variant per process (`argv[2]`), pages on `/catalogue/:n`:
 * - `static`: the floor, a route sending a prebuilt Buffer with Content-Type and Content-Length set
 * - `static-pages`: the same, each page with its own Buffer (a reference: the floor's working set as large as a cache's)
 * - `cachette`: `cachePage('15m')` in front of a handler that sends the page with `res.json`
 * - `cachette-site`: the site-wide `cachette({ cache, ttl: '15m' })` before the same route
 * - `apicache`: `apicache.middleware('15 minutes')` in front of the same handler
 * - `apicache-site`: `app.use(apicache.middleware('15 minutes'))` before the same route
 */
import { createServer } from 'node:http';
import { cachePage, cachette } from '@cachette/express';
import apicache from 'apicache';
import express, { type RequestHandler } from 'express';
import { ownPageBuffer, PAGE, PAGE_BUFFER, PAGE_ROUTE } from './body.js';
import { benchCache } from './cache.js';
import { countHandlerCall, runServer, variantArg } from './child.js';

const EXPRESS_VARIANTS = ['static', 'static-pages', 'cachette', 'cachette-site', 'apicache', 'apicache-site'] as const;
const ROUTE = `${PAGE_ROUTE}/:n`;

runServer(async () => {
  const variant = variantArg(EXPRESS_VARIANTS);
  const app = express();
  const handler: RequestHandler = (_req, res) => {
    countHandlerCall();
    res.json(PAGE);
  };
  switch (variant) {
    case 'static':
      app.get(ROUTE, (_req, res) => {
        countHandlerCall();
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', PAGE_BUFFER.byteLength);
        res.end(PAGE_BUFFER);
      });
      break;
    case 'static-pages':
      app.get(ROUTE, (req, res) => {
        countHandlerCall();
        const body = ownPageBuffer(req.params.n as string);
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', body.byteLength);
        res.end(body);
      });
      break;
    case 'cachette':
      app.get(ROUTE, cachePage('15m', { cache: benchCache() }), handler);
      break;
    case 'cachette-site':
      app.use(cachette({ cache: benchCache(), ttl: '15m' }));
      app.get(ROUTE, handler);
      break;
    case 'apicache':
      app.get(ROUTE, apicache.middleware('15 minutes'), handler);
      break;
    case 'apicache-site':
      app.use(apicache.middleware('15 minutes'));
      app.get(ROUTE, handler);
      break;
  }
  return { server: createServer(app) };
});
