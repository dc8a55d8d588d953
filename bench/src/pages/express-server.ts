/**
 * Express 5 server of the page bench, one variant per process (`argv[2]`):
 * - `static`: the floor, a prebuilt Buffer with Content-Type and Content-Length set
 * - `cachette`: `cachePage('15m')` in front of a handler that sends the page with `res.json`
 * - `apicache`: `apicache.middleware('15 minutes')` in front of the same handler
 */
import { createServer } from 'node:http';
import { cachePage } from '@cachette/express';
import apicache from 'apicache';
import express, { type RequestHandler } from 'express';
import { PAGE, PAGE_BUFFER, PAGE_JSON, PAGE_PATH } from './body.js';
import { countHandlerCall, runServer, variantArg } from './child.js';

const EXPRESS_VARIANTS = ['static', 'static-string', 'cachette', 'apicache'] as const;

runServer(async () => {
  const variant = variantArg(EXPRESS_VARIANTS);
  const app = express();
  const handler: RequestHandler = (_req, res) => {
    countHandlerCall();
    res.json(PAGE);
  };
  switch (variant) {
    case 'static':
      app.get(PAGE_PATH, (_req, res) => {
        countHandlerCall();
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', PAGE_BUFFER.byteLength);
        res.end(PAGE_BUFFER);
      });
      break;
    case 'static-string':
      app.get(PAGE_PATH, (_req, res) => {
        countHandlerCall();
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', PAGE_BUFFER.byteLength);
        res.end(PAGE_JSON);
      });
      break;
    case 'cachette':
      app.get(PAGE_PATH, cachePage('15m'), handler);
      break;
    case 'apicache':
      app.get(PAGE_PATH, apicache.middleware('15 minutes'), handler);
      break;
  }
  return { server: createServer(app) };
});
