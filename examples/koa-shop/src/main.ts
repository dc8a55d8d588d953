import { createShopCache } from '@cachette/example-shop-kit';
import { createApp } from './app.js';

const { cache, shared } = await createShopCache({ sqliteFile: '.cache/koa-shop.sqlite' });
const port = Number(process.env.PORT ?? 3000);
const server = createApp(cache).listen(port, '127.0.0.1', () => {
  console.log(`koa-shop on http://127.0.0.1:${port} — pages in memory, then ${shared}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    server.close();
    server.closeAllConnections();
    await cache.disconnect();
    process.exit(0);
  });
}
