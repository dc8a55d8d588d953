import { randomUUID } from 'node:crypto';
import { type Cache, createCache, type Duration, memoryStore } from '@cachette/core';
import { cachePage } from '@cachette/express';
import { redisLock, redisStore } from '@cachette/redis';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOn } from '../../packages/core/test/node/support.js';
import { abandon, eventually, gate, type RunningApp, send, sleep } from './harness.js';

const REDIS_URL = process.env.REDIS_URL;
// The servers stand for workers behind one proxy: the same Host, whichever port answers.
const HOST = { host: 'shop.example' };
const get = (app: RunningApp | undefined) => send(`${app?.url}/page`, { headers: HOST });

/**
 * One render per cluster: page caches on separate caches (one per "process": its own memory
 * tier, its own Redis connections) sharing Redis as their shared tier and lock.
 */
describe.skipIf(!REDIS_URL)('page renders across processes sharing a Redis lock', () => {
  const opened: Array<{ close?(): Promise<void>; disconnect?(): Promise<void> }> = [];
  afterEach(async () => {
    for (const c of opened.splice(0).reverse()) await (c.close ? c.close() : c.disconnect?.());
  });

  function node(namespace: string): Cache {
    const url = REDIS_URL as string;
    const lock = redisLock({ url });
    const cache = createCache({ namespace, tiers: [{ store: memoryStore(), ttl: '1m' }, { store: redisStore({ url }) }], lock });
    opened.push(cache); // its disconnect() closes the lock too
    return cache;
  }

  /** A real Express server with `cachePage` on `/page`, answering with `handler`. */
  async function server(cache: Cache, lockTimeout: Duration, handler: (res: express.Response) => Promise<void>): Promise<RunningApp> {
    const app = express();
    app.get('/page', cachePage('1m', { cache, lockTimeout, cacheStatus: 'cachette' }), (_req, res, next) => {
      handler(res).catch(next);
    });
    const running = await listenOn(app.listen(0, '127.0.0.1'));
    opened.push(running);
    return running;
  }

  it('concurrent misses of one page spread over three servers run the handler once', async () => {
    const ns = `pages${randomUUID().slice(0, 8)}`;
    let renders = 0;
    const handler = async (res: express.Response) => {
      renders++;
      await sleep(300); // real time only to make the requests overlap
      res.type('html').send('the page');
    };
    const servers = await Promise.all([node(ns), node(ns), node(ns)].map((cache) => server(cache, '5s', handler)));
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => get(servers[i % 3])));
    expect(responses.map((r) => r.text)).toEqual(Array(30).fill('the page'));
    expect(renders).toBe(1);
  });

  it('past lockTimeout, a waiter in another process renders its own page and does not store it', async () => {
    const ns = `pages${randomUUID().slice(0, 8)}`;
    const hung = gate();
    let renders = 0;
    const handler = async (res: express.Response) => {
      const n = ++renders;
      if (n === 1) await hung.promise; // the lock holder that never finishes (until the test ends)
      res.type('html').send(`render ${n}`);
    };
    const [a, b] = await Promise.all([server(node(ns), '300ms', handler), server(node(ns), '300ms', handler)]);
    const held = get(a);
    await eventually(() => renders === 1);
    const waiter = await get(b);
    expect(waiter.text).toBe('render 2');
    const again = await get(b);
    expect(again.text).toBe('render 3'); // nothing stored by the waiter
    hung.open();
    expect((await held).text).toBe('render 1');
  });

  it('an aborted render releases the lock: the next miss in another process renders and stores at once', async () => {
    const ns = `pages${randomUUID().slice(0, 8)}`;
    const first = gate();
    let renders = 0;
    const handler = async (res: express.Response) => {
      const n = ++renders;
      if (n === 1) await first.promise;
      res.type('html').send(`render ${n}`);
    };
    // a leaked lock would keep the other server waiting 20s, past the test's timeout
    const [a, b] = await Promise.all([server(node(ns), '20s', handler), server(node(ns), '20s', handler)]);
    const gone = abandon(`${a?.url}/page`, HOST);
    await eventually(() => renders === 1);
    await gone;
    await eventually(async () => (await a?.connections()) === 0);
    first.open();
    expect((await get(b)).text).toBe('render 2');
    expect((await get(a)).text).toBe('render 2');
    expect(renders).toBe(2);
  });
});
