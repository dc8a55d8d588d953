import type { Cache } from '@cachette/core';
import { parseCookies } from '@cachette/core/http';
import { Catalogue } from '@cachette/example-shop-kit';
import { cachePage, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/koa';
import Router from '@koa/router';
import Koa from 'koa';

const GREETINGS: Record<string, string> = { en: 'Welcome to the shop', fr: 'Bienvenue dans la boutique', de: 'Willkommen im Laden' };

/** Reads a small JSON request body (Koa has no body parser of its own). */
async function jsonBody(ctx: Koa.Context): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of ctx.req) {
    text += chunk;
    if (text.length > 10_000) ctx.throw(413);
  }
  try {
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return ctx.throw(400, 'invalid JSON');
  }
}

/**
 * The shop, in Koa: product pages cached for 15 minutes and tagged by product, a greeting
 * per `Accept-Language`, a page per session cookie, a live page never cached, and a POST
 * that updates a product and drops its pages by tag.
 */
export function createApp(cache: Cache, catalogue = new Catalogue()): Koa {
  const app = new Koa();
  const router = new Router();
  const page = { cache, cacheStatus: 'cachette' };

  router.get('/products/:id', cachePage('15m', { ...page, tags: (req) => [`product:${req.params?.id}`] }), async (ctx) => {
    const product = await catalogue.find(ctx.params.id as string);
    if (!product) {
      ctx.status = 404;
      ctx.body = { error: 'no such product' };
    } else ctx.body = product;
  });

  router.post('/products/:id', async (ctx) => {
    const product = await catalogue.update(ctx.params.id as string, await jsonBody(ctx));
    if (!product) {
      ctx.status = 404;
      ctx.body = { error: 'no such product' };
      return;
    }
    await cache.deleteByTag(`product:${product.id}`);
    ctx.body = product;
  });

  router.get('/ua', varyOnHeaders('Accept-Language'), cachePage('15m', page), (ctx) => {
    const language = ctx.acceptsLanguages('en', 'fr', 'de') || 'en';
    ctx.type = 'text';
    ctx.body = GREETINGS[language];
  });

  router.get('/me', varyOnCookies('session'), cachePage('5m', page), (ctx) => {
    const session = parseCookies(ctx.get('cookie') || undefined).get('session');
    ctx.type = 'text';
    ctx.body = session ? `Signed in with session ${session}` : 'Not signed in';
  });

  router.get('/live', neverCache(), (ctx) => {
    ctx.body = { now: new Date().toISOString(), reads: catalogue.reads };
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
