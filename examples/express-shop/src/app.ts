import type { Cache } from '@cachette/core';
import { parseCookies } from '@cachette/core/http';
import { Catalogue } from '@cachette/example-shop-kit';
import { cachePage, neverCache, varyOnCookies, varyOnHeaders } from '@cachette/express';
import express, { type Express } from 'express';

const GREETINGS: Record<string, string> = { en: 'Welcome to the shop', fr: 'Bienvenue dans la boutique', de: 'Willkommen im Laden' };

/**
 * The shop: product pages cached for 15 minutes and tagged by product, a greeting per
 * `Accept-Language`, a page per session cookie, a live page never cached, and a POST that
 * updates a product and drops its pages by tag.
 */
export function createApp(cache: Cache, catalogue = new Catalogue()): Express {
  const app = express();
  const page = { cache, cacheStatus: 'cachette' };

  app.get('/products/:id', cachePage('15m', { ...page, tags: (req) => [`product:${req.params?.id}`] }), async (req, res) => {
    const product = await catalogue.find(String(req.params.id));
    if (!product) res.status(404).json({ error: 'no such product' });
    else res.json(product);
  });

  app.post('/products/:id', express.json(), async (req, res) => {
    const product = await catalogue.update(String(req.params.id), req.body ?? {});
    if (!product) {
      res.status(404).json({ error: 'no such product' });
      return;
    }
    await cache.deleteByTag(`product:${product.id}`);
    res.json(product);
  });

  app.get('/ua', varyOnHeaders('Accept-Language'), cachePage('15m', page), (req, res) => {
    const language = req.acceptsLanguages('en', 'fr', 'de') || 'en';
    res.type('text').send(GREETINGS[language]);
  });

  app.get('/me', varyOnCookies('session'), cachePage('5m', page), (req, res) => {
    const session = parseCookies(req.headers.cookie).get('session');
    res.type('text').send(session ? `Signed in with session ${session}` : 'Not signed in');
  });

  app.get('/live', neverCache(), (_req, res) => {
    res.json({ now: new Date().toISOString(), reads: catalogue.reads });
  });

  return app;
}
