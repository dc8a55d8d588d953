import { createCache } from '@cachette/core';
import { createProxyApp } from './app.js';

// ORIGIN: where requests go; PORT: where the proxy listens; CACHE_STATUS: a Cache-Status name, if any.
const origin = process.env.ORIGIN ?? 'http://127.0.0.1:8000';
const port = Number(process.env.PORT ?? 8080);
const cache = createCache();
const cacheStatus = process.env.CACHE_STATUS || undefined;
const server = createProxyApp(cache, origin, cacheStatus === undefined ? {} : { cacheStatus }).listen(port, '127.0.0.1', () => {
  console.log(`caching-proxy on http://127.0.0.1:${port} -> ${origin}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
