import type { Cache } from '@cachette/core';
import { cachette } from '@cachette/express';
import express, { type Express } from 'express';
import { forwardTo } from './forward.js';

/**
 * Statuses a cache may store without explicit freshness (RFC 9110 §15.1, "heuristically
 * cacheable"), as far as the page cache stores them: not 206 (a partial body is never stored
 * whole) nor 501 (a 5xx is never stored); the core refuses both at configuration time.
 */
export const HEURISTIC_STATUSES = [200, 203, 204, 300, 301, 308, 404, 405, 410, 414] as const;

/**
 * A reverse caching proxy: cachette's site-wide page cache (a day for every heuristically
 * cacheable status, capped by what the origin says) in front of a handler that forwards every
 * request to `origin`.
 *
 * @example
 * ```ts
 * createProxyApp(createCache(), 'http://127.0.0.1:8000').listen(8080)
 * ```
 */
export function createProxyApp(cache: Cache, origin: string, options: { cacheStatus?: string } = {}): Express {
  const app = express();
  // Express adds its own X-Powered-By and ETag to what it sends; a proxy passes the origin's on.
  app.disable('x-powered-by');
  app.disable('etag');
  const statuses = Object.fromEntries(HEURISTIC_STATUSES.map((status) => [status, '1d']));
  // A shared cache in front of an origin: a client's no-cache revalidates (RFC 9111 §5.2.1.4), and a
  // failing origin is answered with the stale page for up to a day (RFC 9111 §4.2.4, RFC 5861 §4).
  app.use(cachette({ cache, ttl: '1d', statuses, honorClientNoCache: true, staleIfError: '1d', ...options }));
  app.use(forwardTo(origin));
  return app;
}
