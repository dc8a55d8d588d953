import { createCache } from '@cachette/core';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { cachePage, cachette, neverCache, varyOnHeaders } from '../src/index.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function fastify(options?: FastifyServerOptions): FastifyInstance {
  const app = Fastify(options);
  apps.push(app);
  return app;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe('fastify specifics', () => {
  it('works with app.inject() (light-my-request), as Fastify apps are tested', async () => {
    let calls = 0;
    const app = fastify();
    app.get('/page', { onRequest: cachePage('1m', { cache: createCache() }) }, async () => ({ n: ++calls }));
    const miss = await app.inject('/page');
    expect(miss.json()).toEqual({ n: 1 });
    const hit = await app.inject('/page');
    expect(hit.json()).toEqual({ n: 1 });
    expect(hit.headers.age).toMatch(/^\d+$/);
    expect(hit.headers['content-type']).toMatch(/^application\/json/);
    expect(calls).toBe(1);
  });

  it('runs as a preHandler too, after the route’s own onRequest hooks', async () => {
    let calls = 0;
    const app = fastify();
    const order: string[] = [];
    app.get(
      '/page',
      { onRequest: async () => void order.push('auth'), preHandler: cachePage('1m', { cache: createCache() }) },
      async () => `v${++calls}`,
    );
    const url = await listen(app);
    expect(await (await fetch(`${url}/page`)).text()).toBe('v1');
    expect(await (await fetch(`${url}/page`)).text()).toBe('v1');
    expect(order).toEqual(['auth', 'auth']);
    expect(calls).toBe(1);
  });

  it('the plugin reaches routes registered in encapsulated child plugins; neverCache() opts one out', async () => {
    const calls = { page: 0, live: 0 };
    const app = fastify();
    await app.register(cachette, { cache: createCache(), ttl: '1m' });
    await app.register(async (child) => {
      child.get('/page', async () => `page ${++calls.page}`);
      child.get('/live', { onRequest: neverCache() }, async () => `live ${++calls.live}`);
    });
    const url = await listen(app);
    for (let i = 0; i < 2; i++) {
      await fetch(`${url}/page`);
      const live = await fetch(`${url}/live`);
      expect(live.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
    }
    expect(calls).toEqual({ page: 1, live: 2 });
  });

  it('keys on the URL that came over the wire, not the one rewriteUrl made', async () => {
    let calls = 0;
    const app = fastify({ rewriteUrl: (req) => (req.url?.startsWith('/old/') ? '/page' : (req.url ?? '/')) });
    app.get('/page', { onRequest: cachePage('1m', { cache: createCache() }) }, async (request) => `${request.originalUrl} ${++calls}`);
    const url = await listen(app);
    expect(await (await fetch(`${url}/old/a`)).text()).toBe('/old/a 1');
    expect(await (await fetch(`${url}/old/b`)).text()).toBe('/old/b 2');
    expect(await (await fetch(`${url}/old/a`)).text()).toBe('/old/a 1');
  });

  it('stores what went out, onSend hooks included, and varies on declared headers', async () => {
    let calls = 0;
    const app = fastify();
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-sent-by', 'onSend');
      return payload;
    });
    app.get(
      '/ua',
      { onRequest: [varyOnHeaders('Accept-Language'), cachePage('1m', { cache: createCache() })] },
      async (request) => `${request.headers['accept-language']} ${++calls}`,
    );
    const url = await listen(app);
    const en = await fetch(`${url}/ua`, { headers: { 'accept-language': 'en' } });
    expect(await en.text()).toBe('en 1');
    expect(en.headers.get('vary')).toBe('Accept-Language');
    expect(await (await fetch(`${url}/ua`, { headers: { 'accept-language': 'fr' } })).text()).toBe('fr 2');
    const hit = await fetch(`${url}/ua`, { headers: { 'accept-language': 'en' } });
    expect(await hit.text()).toBe('en 1');
    expect(hit.headers.get('x-sent-by')).toBe('onSend');
    expect(calls).toBe(2);
  });
});
