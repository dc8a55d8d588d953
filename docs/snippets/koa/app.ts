import { createCache } from '@cachette/core';
import { cachePage } from '@cachette/koa';
import Router from '@koa/router';
import Koa from 'koa';

export const cache = createCache(); // one bounded memory tier, TTL 5 minutes
export const app = new Koa();
const router = new Router();

// the page of each product is stored for 15 minutes; Cache-Status says what the cache did
router.get('/products/:id', cachePage('15m', { cache, cacheStatus: 'cachette' }), (ctx) => {
  ctx.body = { id: ctx.params.id, name: `Product ${ctx.params.id}`, renderedAt: new Date().toISOString() };
});

app.use(router.routes());
