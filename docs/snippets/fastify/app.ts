import { createCache } from '@cachette/core';
import { cachePage } from '@cachette/fastify';
import Fastify from 'fastify';

export const cache = createCache(); // one bounded memory tier, TTL 5 minutes
export const app = Fastify();

// the page of each product is stored for 15 minutes; Cache-Status says what the cache did.
// The hook runs in onRequest, so a hit skips body parsing and the handler.
app.get<{ Params: { id: string } }>(
  '/products/:id',
  { onRequest: cachePage('15m', { cache, cacheStatus: 'cachette' }) },
  async (request) => ({
    id: request.params.id,
    name: `Product ${request.params.id}`,
    renderedAt: new Date().toISOString(),
  }),
);
