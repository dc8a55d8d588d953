import type { AddressInfo } from 'node:net';
import { type Cache, createCache } from '@cachette/core';
import { cachePage, varyOnHeaders } from '@cachette/koa';
import Router from '@koa/router';
import Koa from 'koa';

const cache: Cache = createCache();
const router = new Router();
let renders = 0;
router.get('/greeting', varyOnHeaders('Accept-Language'), cachePage('1m', { cache }), (ctx) => {
  ctx.type = 'text/plain';
  ctx.body = `hello ${ctx.get('accept-language')} #${++renders}`;
});
router.get('/stats', (ctx) => {
  ctx.body = cache.stats();
});
const app = new Koa().use(router.routes());
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
