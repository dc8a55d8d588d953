import { createCache } from '@cachette/core';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCookieOnOneHit, expectHeadAndNotModified, expectHit, resetCode, storeAndCheckHit } from '../../core/test/node/support.js';
import { cachePage, cachette } from '../src/index.js';
import { listen } from './support.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const PAGE = 'the cached page';

/**
 * An app with `upstream` in front of the page cache (site-wide `cachette()`, or `cachePage` on
 * the route); the page is stored and checked to be a hit before the test asks anything.
 * `errors` collects what reaches the app's error handler.
 */
async function cachedApp(upstream: RequestHandler, mount: 'site' | 'route') {
  const app = express();
  const errors: unknown[] = [];
  let renders = 0;
  let armed = false;
  app.use((req, res, next) => (armed ? upstream(req, res, next) : next()));
  const cache = createCache();
  const render: RequestHandler = (_req, res) => {
    renders++;
    res.set('Cache-Control', 'public, max-age=60').type('html').send(PAGE);
  };
  if (mount === 'site') {
    app.use(cachette({ cache, ttl: '1m' }));
    app.get('/page', render);
  } else app.get('/page', cachePage('1m', { cache }), render);
  app.use(((error, _req, res, _next) => {
    errors.push(error);
    if (!res.headersSent) res.status(500).end();
  }) as express.ErrorRequestHandler);
  const server = await listen(app.listen(0, '127.0.0.1'));
  servers.push(server);
  await storeAndCheckHit(`${server.url}/page`, PAGE);
  armed = true;
  return { url: `${server.url}/page`, errors, renders: () => renders };
}

describe.each(['site', 'route'] as const)('a hit goes out once the middleware upstream has run (%s, issue 7)', (mount) => {
  it('carries the headers upstream set after next(), the page’s own winning over ones of the same name', async () => {
    const app = await cachedApp((_req, res, next) => {
      next();
      res.setHeader('X-Response-Time', '1ms');
      res.setHeader('Content-Type', 'text/plain');
      res.setHeader('Cache-Control', 'no-store');
    }, mount);
    const hit = await fetch(app.url);
    expect(hit.headers.get('x-response-time')).toBe('1ms');
    expect(hit.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(hit.headers.get('cache-control')).toBe('public, max-age=60');
    expect(hit.headers.get('x-powered-by')).toBe('Express');
    expect(await hit.text()).toBe(PAGE);
    expect(app.errors).toEqual([]);
    expect(app.renders()).toBe(1);
  });

  it('sends a cookie set upstream to that request only: the stored page is not changed by it', async () => {
    const app = await cachedApp((req, res, next) => {
      next();
      if (req.get('x-user') !== undefined) res.cookie('sid', req.get('x-user'));
    }, mount);
    await expectCookieOnOneHit(app.url, PAGE);
    expect(app.errors).toEqual([]);
  });

  it('gives way to a response upstream sent itself after next(): one response, not two', async () => {
    let answered = 0;
    const app = await cachedApp((_req, res, next) => {
      next();
      if (answered++ === 0) res.status(503).send('busy');
    }, mount);
    const answer = await fetch(app.url);
    expect(answer.status).toBe(503);
    expect(await answer.text()).toBe('busy');
    await expectHit(app.url, PAGE);
    expect(app.errors).toEqual([]);
  });

  it('writes nothing, and breaks nothing, when the client is gone before the hit goes out', async () => {
    let gone = 0;
    const app = await cachedApp((req, _res, next) => {
      next();
      if (gone++ === 0) req.socket.destroy();
    }, mount);
    expect(await resetCode(app.url)).toBe('ECONNRESET');
    await expectHit(app.url, PAGE);
    expect(app.errors).toEqual([]);
    expect(app.renders()).toBe(1);
  });

  it('answers HEAD without a body and a matching If-None-Match with 304, with Age', async () => {
    const app = await cachedApp((_req, res, next) => {
      next();
      res.setHeader('X-Response-Time', '1ms');
    }, mount);
    await expectHeadAndNotModified(app.url, PAGE, ['x-response-time', '1ms']);
    expect(app.renders()).toBe(1);
  });
});
