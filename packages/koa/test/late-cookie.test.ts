import { createCache } from '@cachette/core';
import Router from '@koa/router';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { cachePage } from '../src/index.js';
import { listen } from './support.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('a cookie set after the page cache, on the way out (koa-session commits after next())', () => {
  it('is never stored: the next visitor does not get the first visitor’s page', async () => {
    const app = new Koa();
    let visitor = 0;
    // like koa-session: outside the route, sets the session cookie once the handler is done
    app.use(async (ctx, next) => {
      await next();
      if (!ctx.get('cookie')) ctx.cookies.set('koa.sess', `session-${visitor}`);
    });
    const router = new Router();
    router.get('/form', cachePage('1m', { cache: createCache() }), (ctx) => {
      visitor++;
      ctx.body = `csrf token for visitor ${visitor}`;
    });
    app.use(router.routes());
    const server = await listen(app);
    servers.push(server);
    const first = await fetch(`${server.url}/form`);
    expect(first.headers.get('set-cookie')).toContain('koa.sess=session-1');
    expect(await first.text()).toBe('csrf token for visitor 1');
    const second = await fetch(`${server.url}/form`);
    expect(await second.text()).toBe('csrf token for visitor 2');
    expect(second.headers.get('age')).toBeNull();
  });
});
