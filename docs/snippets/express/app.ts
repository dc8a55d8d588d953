import { createCache } from '@cachette/core';
import { cachePage } from '@cachette/express';
import express from 'express';

export const cache = createCache(); // one bounded memory tier, TTL 5 minutes
export const app = express();

// the page of each product is stored for 15 minutes; Cache-Status says what the cache did
app.get('/products/:id', cachePage('15m', { cache, cacheStatus: 'cachette' }), (req, res) => {
  res.json({ id: req.params.id, name: `Product ${req.params.id}`, renderedAt: new Date().toISOString() });
});
