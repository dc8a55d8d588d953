import { createCache } from '@cachette/core';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCookieOnOneHit, expectHeadAndNotModified, expectHit, resetCode, storeAndCheckHit } from '../../core/test/node/support.js';
import { cachePage } from '../src/index.js';
import { listen } from './support.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const PAGE = 'the cached page';

/**
 * An app with `upstream` before a cached route; the page is stored and checked to be a hit
 * before the test asks anything. `errors` collects what Koa reports through `app.on('error')`.
 */
async function cachedApp(upstream: Middleware) {
  const app = new Koa();
  const errors: unknown[] = [];
  app.on('error', (error) => errors.push(error));
  let renders = 0;
  let armed = false;
  app.use((ctx, next) => (armed ? upstream(ctx, next) : next()));
  const router = new Router();
  router.get('/page', cachePage('1m', { cache: createCache() }), (ctx) => {
    renders++;
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.type = 'text/html';
    ctx.body = PAGE;
  });
  app.use(router.routes());
  const server = await listen(app);
  servers.push(server);
  await storeAndCheckHit(`${server.url}/page`, PAGE);
  armed = true;
  return { url: `${server.url}/page`, errors, renders: () => renders };
}

describe('a hit goes out once the middleware upstream has run after next() (issue 7)', () => {
  it('carries the headers upstream set after next(), the page’s own winning over ones of the same name', async () => {
    const app = await cachedApp(async (ctx, next) => {
      await next();
      ctx.set('X-Response-Time', '1ms');
      ctx.set('Content-Type', 'text/plain');
      ctx.set('Cache-Control', 'no-store');
    });
    const hit = await fetch(app.url);
    expect(hit.headers.get('x-response-time')).toBe('1ms');
    expect(hit.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(hit.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await hit.text()).toBe(PAGE);
    expect(app.renders()).toBe(1);
  });

  it('keeps the page’s status and its reason phrase over a status set upstream after next()', async () => {
    const app = await cachedApp(async (ctx, next) => {
      await next();
      ctx.status = 503;
    });
    const hit = await fetch(app.url);
    expect(hit.status).toBe(200);
    expect(hit.statusText).toBe('OK');
    expect(await hit.text()).toBe(PAGE);
  });

  it('sends a cookie set upstream to that request only: the stored page is not changed by it', async () => {
    const app = await cachedApp(async (ctx, next) => {
      await next();
      if (ctx.get('x-user') !== '') ctx.cookies.set('sid', ctx.get('x-user'));
    });
    await expectCookieOnOneHit(app.url, PAGE);
    expect(app.errors).toEqual([]);
  });

  it('is the one response when upstream sets a body after next(): Koa writes nothing more', async () => {
    const app = await cachedApp(async (ctx, next) => {
      await next();
      ctx.body = 'something else, longer than nothing';
    });
    const hit = await fetch(app.url);
    expect(hit.headers.get('content-length')).toBe(String(PAGE.length));
    expect(await hit.text()).toBe(PAGE);
    await expectHit(app.url, PAGE);
    expect(app.errors).toEqual([]);
  });

  it('gives way to an error thrown upstream after next(): Koa answers it, as for any response', async () => {
    const app = await cachedApp(async (_ctx, next) => {
      await next();
      throw new Error('upstream failed');
    });
    const answer = await fetch(app.url);
    expect(answer.status).toBe(500);
    expect(answer.headers.get('age')).toBeNull();
    expect(app.errors).toHaveLength(1);
    expect(app.errors[0]).toMatchObject({ message: 'upstream failed' });
  });

  it('writes nothing, and breaks nothing, when the client is gone before the hit goes out', async () => {
    let gone = 0;
    const app = await cachedApp(async (ctx, next) => {
      await next();
      // the connection closes after the hit was decided and before it is written
      if (gone++ === 0) ctx.req.socket.destroy();
    });
    expect(await resetCode(app.url)).toBe('ECONNRESET');
    // the server goes on answering hits
    const next = await fetch(app.url);
    expect(next.status).toBe(200);
    expect(app.errors).toEqual([]);
    expect(app.renders()).toBe(1);
  });

  it('does not wait for upstream work that is still pending after next()', async () => {
    let release: () => void = () => undefined;
    const pending = new Promise<void>((resolve) => {
      release = resolve;
    });
    let settled = false;
    const app = await cachedApp(async (_ctx, next) => {
      await next();
      await pending;
      settled = true;
    });
    const hit = await fetch(app.url);
    expect(await hit.text()).toBe(PAGE);
    expect(settled).toBe(false);
    release();
  });
});

describe('HEAD and 304 from the cache, written the same way', () => {
  it('answers HEAD without a body and a matching If-None-Match with 304, with Age', async () => {
    const app = await cachedApp(async (ctx, next) => {
      await next();
      ctx.set('X-Response-Time', '1ms');
    });
    await expectHeadAndNotModified(app.url, PAGE, ['x-response-time', '1ms']);
    expect(app.renders()).toBe(1);
  });
});
