/**
 * Koa 3 server of the page bench (@koa/router), one variant per process (`argv[2]`), pages on `/catalogue/:n`:
 * - `static`: the floor, a prebuilt Buffer as `ctx.body` (Koa sets Content-Length)
 * - `cachette`: `cachePage('15m')` in front of a handler that sets the page object as `ctx.body`
 * - `koa-cash`: koa-cash with a Map store with a TTL (its README's get/set), the same handler
 *   behind `if (await ctx.cashed()) return`
 */
import { createServer } from 'node:http';
import { cachePage } from '@cachette/koa';
import Router from '@koa/router';
import Koa from 'koa';
import koaCash from 'koa-cash';
import { PAGE, PAGE_BUFFER, PAGE_ROUTE } from './body.js';
import { benchCache } from './cache.js';
import { countHandlerCall, runServer, variantArg } from './child.js';

declare module 'koa' {
  interface DefaultContext {
    /** Set by koa-cash's middleware: true when it has served the request from its store. */
    cashed(maxAge?: number): Promise<boolean>;
  }
}

const KOA_VARIANTS = ['static', 'cachette', 'koa-cash'] as const;
const ROUTE = `${PAGE_ROUTE}/:n`;
const TTL_MS = 15 * 60_000;

/** koa-cash leaves expiry to the store: a Map whose entries carry their deadline. */
function mapStore(): { get(key: string): Promise<unknown>; set(key: string, value: unknown, maxAge: number): Promise<void> } {
  const entries = new Map<string, { value: unknown; expires: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    async set(key, value, maxAge) {
      entries.set(key, { value, expires: Date.now() + (maxAge > 0 ? maxAge : TTL_MS) });
    },
  };
}

runServer(async () => {
  const variant = variantArg(KOA_VARIANTS);
  const app = new Koa();
  const router = new Router();
  switch (variant) {
    case 'static':
      router.get(ROUTE, (ctx) => {
        countHandlerCall();
        ctx.type = 'application/json; charset=utf-8';
        ctx.body = PAGE_BUFFER;
      });
      break;
    case 'cachette':
      router.get(ROUTE, cachePage('15m', { cache: benchCache() }), (ctx) => {
        countHandlerCall();
        ctx.body = PAGE;
      });
      break;
    case 'koa-cash':
      app.use(koaCash({ ...mapStore(), maxAge: TTL_MS, setCachedHeader: true }));
      router.get(ROUTE, async (ctx) => {
        if (await ctx.cashed()) return;
        countHandlerCall();
        ctx.body = PAGE;
      });
      break;
  }
  app.use(router.routes()).use(router.allowedMethods());
  return { server: createServer(app.callback()) };
});
