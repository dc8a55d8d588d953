import { createServer } from 'node:http';
import { createCache, memoryStore } from '@cachette/core';
import { createApp } from '@cachette/example-express-shop/src/app.js';
import { Catalogue } from '@cachette/example-shop-kit';
import { cachePage, neverCache } from '@cachette/express';
import { redisBus, redisLock, redisStore } from '@cachette/redis';
import express from 'express';
import { redisFromEnv } from './connection.js';

/**
 * One worker of the fleet: the express shop, with a memory tier of its own in front of Redis,
 * the bus keeping the memory tiers coherent and the lock making one loader run per cluster.
 * A few extra routes let the smoke test and an operator see what each worker did.
 */
const redis = redisFromEnv();
const port = Number(process.env.WORKER_PORT);
/** The fleet-wide secret background refreshes are signed with; unset, each worker has its own. */
const revalidationSecret = process.env.CACHETTE_REVALIDATION_SECRET || undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const lock = redisLock(redis);
const cache = createCache({
  namespace: 'shop',
  tiers: [
    { store: memoryStore({ maxEntries: 10_000, maxBytes: '64mb' }), ttl: '30s' },
    // 1 s: a Redis that is away fails at once (no offline queue); a busy worker's event loop can
    // lag past a shorter timeout while the reply already waits in the socket
    { store: redisStore(redis), ttl: '1h', timeout: '1s' },
  ],
  bus: redisBus({ ...redis, channel: 'shop:bus' }),
  lock,
  lockTimeout: '5s',
  staleIfError: '1h',
  // while Redis is away, skip it and answer from memory or the origin; try it again after 1 s
  circuitBreaker: { failures: 3, duration: '1s' },
});
let renders = 0;
let loads = 0;
/** Renders of the SWR pages: all, background refreshes (they carry the signed header), and those answered. */
const swr = { renders: 0, refreshes: 0, refreshesDone: 0 };

/** Says which worker answered, set on the way out: the page cache never stores it with a page. */
const answeredBy: express.RequestHandler = (_req, res, next) => {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithWorker(this: typeof res, ...args: unknown[]) {
    this.setHeader('x-worker', String(process.pid));
    return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
  } as typeof res.writeHead;
  next();
};

const app = createApp(cache, new Catalogue());
// a page that is slow to render: the stampede test asks for it 1,000 times at once
app.get('/cold/:id', cachePage('15m', { cache, cacheStatus: 'cachette', tags: ['cold'] }), async (req, res) => {
  renders++;
  await sleep(300);
  res.type('html').send(`<h1>cold page ${req.params.id}</h1>`);
});
// fresh 1 s, then served stale while one background refresh runs: through the shared port, that
// refresh may land on another worker, which accepts it only when signed with the fleet's secret
const swrPage = (options: { revalidationSecret?: string }): express.RequestHandler[] => [
  answeredBy,
  cachePage('1s', { cache, staleWhileRevalidate: '1m', cacheStatus: 'cachette', ...options }),
  (req, res) => {
    swr.renders++;
    if (req.get('x-cachette-revalidate') !== undefined) {
      swr.refreshes++;
      // answered once stored: the page cache stores a render before it sends it
      res.once('finish', () => swr.refreshesDone++);
    }
    res.json({ page: req.path, by: process.pid, render: swr.renders, at: Date.now() });
  },
];
app.get('/swr/:id', ...swrPage({ revalidationSecret }));
// the same page with each worker's own secret: a refresh that lands elsewhere is refused
app.get('/swr-own/:id', ...swrPage({}));
// the same through the engine: getOrSet takes the Redis lock, so one load runs per cluster
app.get('/data/:key', neverCache(), async (req, res) => {
  const value = await cache.getOrSet(`data:${req.params.key}`, async () => {
    loads++;
    await sleep(300);
    return { key: req.params.key, at: Date.now() };
  });
  res.json(value);
});
// a value with a short life: 1 s fresh, 1 s more served stale while it refreshes, never older
app.get('/clock', neverCache(), async (_req, res) => {
  res.json(await cache.getOrSet('clock', () => ({ at: Date.now() }), { ttl: '1s', staleWhileRevalidate: '1s' }));
});
app.put('/kv/:key', express.text(), async (req, res) => {
  await cache.set(`kv:${req.params.key}`, String(req.body), { tags: ['kv'] });
  res.json({ ok: true });
});
app.get('/kv/:key', neverCache(), async (req, res) => {
  res.json({ value: (await cache.get(`kv:${req.params.key}`)) ?? null, inMemory: cache.peek(`kv:${req.params.key}`) !== undefined });
});
app.get('/peek/:key', neverCache(), (req, res) => {
  res.json({ inMemory: cache.peek(String(req.params.key)) !== undefined });
});
app.post('/purge/:tag', async (req, res) => {
  await cache.deleteByTag(String(req.params.tag));
  res.json({ purged: req.params.tag });
});
app.get('/stats', neverCache(), (_req, res) => {
  res.json({ pid: process.pid, port, renders, loads, swr, stats: cache.stats() });
});

// each worker owns its port (nginx balances): `exclusive` keeps the primary out of accept()
const server = createServer(app).listen({ port, host: '127.0.0.1', exclusive: true });
// and, when given, one port all workers share: node:cluster's primary hands each connection to one
const shared = process.env.SHARED_PORT ? createServer(app).listen({ port: Number(process.env.SHARED_PORT), host: '127.0.0.1' }) : undefined;
process.once('SIGTERM', async () => {
  for (const s of [server, shared]) {
    s?.close();
    s?.closeAllConnections();
  }
  await cache.disconnect();
  await lock.disconnect();
  process.exit(0);
});
