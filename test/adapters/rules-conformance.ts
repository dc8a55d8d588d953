import { createCache, manualClock, memoryStore } from '@cachette/core';
import { keyvStore } from '@cachette/core/keyv';
import Keyv from 'keyv';
import { chaosStore } from '../helpers/chaos-store.js';
import {
  type AppSpec,
  abandon,
  counter,
  eventually,
  gate,
  type MakeApp,
  type Reply,
  type RouteSpec,
  type RunningApp,
  send,
} from './harness.js';
import type { Runner } from './page-conformance.js';

/**
 * The rules of issue 8 (what Django, nginx and Varnish do that the page cache missed), each
 * over real HTTP against a real server of the framework.
 */
export function rulesConformance(adapterName: string, makeApp: MakeApp, { describe, it, expect }: Runner): void {
  async function withApp(spec: AppSpec, body: (app: RunningApp) => Promise<void>): Promise<void> {
    const app = await makeApp(spec);
    try {
      await body(app);
    } finally {
      await app.close();
    }
  }

  /** A cachePage route on its own cache (and clock), answering `reply` and counting calls. */
  function route(reply: (n: number, req: { headers: Record<string, string | string[] | undefined> }) => Reply, options = {}, ttl = '1m') {
    const calls = counter();
    const clock = manualClock();
    const cache = createCache({ clock });
    const spec: RouteSpec = {
      path: '/page',
      cachePage: { ttl, options: { cache, clock, ...options } },
      reply: calls.wrap((req, n) => reply(n, req)),
    };
    return { calls, cache, clock, route: spec };
  }

  const lang = (req: { headers: Record<string, string | string[] | undefined> }) => String(req.headers['accept-language'] ?? 'none');

  describe(`page cache rules, second pass: ${adapterName}`, () => {
    it('1. a client cannot force the origin with no-cache; honorClientNoCache: true restores RFC 9111 §5.2.1.4', async () => {
      const plain = route((n) => ({ body: `v${n}` }));
      const honoring = route((n) => ({ body: `h${n}` }), { honorClientNoCache: true });
      honoring.route.path = '/honoring';
      await withApp({ routes: [plain.route, honoring.route] }, async ({ url }) => {
        await send(`${url}/page`);
        const asks: Record<string, string>[] = [{ 'cache-control': 'no-cache' }, { pragma: 'no-cache' }, { 'cache-control': 'max-age=0' }];
        for (const headers of asks) {
          const hit = await send(`${url}/page`, { headers });
          expect(hit.text).toBe('v1');
          expect(hit.headers.age).toBeDefined();
        }
        expect(plain.calls.count).toBe(1);
        await send(`${url}/honoring`);
        expect((await send(`${url}/honoring`, { headers: { 'cache-control': 'no-cache' } })).text).toBe('h2');
        expect((await send(`${url}/honoring`)).text).toBe('h2');
      });
    });

    it('2. a URL whose Vary list changes never answers with a variant stored under another value of a named header', async () => {
      let vary: string | undefined = 'Accept-Language';
      const { calls, route: spec } = route((n, req) => ({ body: `${lang(req)} #${n}`, vary }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        const get = (value: string) => send(`${url}/page`, { headers: { 'accept-language': value } });
        expect((await get('en')).text).toBe('en #1');
        // the origin stops saying Vary (a deploy, an error path): the pages it made before still vary
        vary = undefined;
        expect((await get('fr')).text).toBe('fr #2');
        expect((await get('de')).text).toBe('de #3');
        expect((await get('en')).text).toBe('en #1');
        expect((await get('fr')).text).toBe('fr #2');
        vary = 'X-Device';
        const mobile = await send(`${url}/page`, { headers: { 'accept-language': 'it', 'x-device': 'mobile' } });
        expect(mobile.text).toBe('it #4');
        const otherLanguage = await send(`${url}/page`, { headers: { 'accept-language': 'es', 'x-device': 'mobile' } });
        expect(otherLanguage.text).toBe('es #5');
        expect(calls.count).toBe(5);
      });
    });

    it('3. under a route TTL the smaller max-age is advertised (Django patch_response_headers); s-maxage alone gets no max-age', async () => {
      const long = route(() => ({ body: 'x', headers: { 'cache-control': 'public, max-age=300' } }));
      const shared = route(() => ({ body: 'y', headers: { 'cache-control': 's-maxage=30' } }));
      shared.route.path = '/shared';
      const none = route(() => ({ body: 'z' }));
      none.route.path = '/none';
      await withApp({ routes: [long.route, shared.route, none.route] }, async ({ url }) => {
        for (const response of [await send(`${url}/page`), await send(`${url}/page`)]) {
          expect(response.headers['cache-control']).toBe('public, max-age=60');
          expect(response.headers.expires).toBeDefined();
        }
        for (const response of [await send(`${url}/shared`), await send(`${url}/shared`)]) {
          expect(response.headers['cache-control']).toBe('s-maxage=30');
          expect(response.headers.expires).toBeUndefined();
        }
        const plain = await send(`${url}/none`);
        expect(plain.headers['cache-control']).toBe('max-age=60');
        expect(plain.headers.expires).toBeDefined();
      });
    });

    it('3. site-wide, the response’s own max-age is the TTL; max-age=0 is not stored; the configured ttl only without one', async () => {
      const clock = manualClock();
      const cache = createCache({ clock });
      const calls = counter();
      const routes: RouteSpec[] = [
        { path: '/long', reply: calls.wrap((_r, n) => ({ body: `long${n}`, headers: { 'cache-control': 'max-age=120' } })) },
        { path: '/zero', reply: calls.wrap((_r, n) => ({ body: `zero${n}`, headers: { 'cache-control': 'max-age=0' } })) },
        { path: '/plain', reply: calls.wrap((_r, n) => ({ body: `plain${n}` })) },
      ];
      await withApp({ routes, siteWide: { cache, clock, ttl: '1m' } }, async ({ url }) => {
        await send(`${url}/long`);
        await send(`${url}/plain`);
        await send(`${url}/zero`);
        expect((await send(`${url}/zero`)).headers.age).toBeUndefined();
        await clock.advance(61_000);
        const long = await send(`${url}/long`);
        expect(long.text).toBe('long1');
        expect(long.headers['cache-control']).toBe('max-age=120');
        const plain = await send(`${url}/plain`);
        expect(plain.headers.age).toBeUndefined();
        expect(plain.headers['cache-control']).toBe('max-age=60');
      });
    });

    it('4. neverCache sends Expires equal to the response’s Date (Django never_cache)', async () => {
      const spec: RouteSpec = { path: '/live', neverCache: true, reply: () => ({ body: 'live' }) };
      await withApp({ routes: [spec] }, async ({ url }) => {
        const response = await send(`${url}/live`);
        expect(response.headers.date).toBeDefined();
        expect(response.headers.expires).toBe(response.headers.date);
      });
    });

    it('5. the cache makes an ETag only for a non-empty body sent whole (Django ConditionalGetMiddleware)', async () => {
      const streamed = route(() => ({ stream: { chunks: 4, size: 1024 }, headers: { 'content-type': 'application/octet-stream' } }));
      const empty = route(() => ({ body: '' }));
      empty.route.path = '/empty';
      const whole = route(() => ({ body: 'whole', headers: { 'content-type': 'text/plain' } }));
      whole.route.path = '/whole';
      // A framework's own (weak) ETag is the framework's business; the cache's is strong.
      const cacheMade = (etag: string | string[] | undefined) => typeof etag === 'string' && etag.startsWith('"');
      await withApp({ routes: [streamed.route, empty.route, whole.route] }, async ({ url }) => {
        for (const path of ['/page', '/empty']) {
          await send(`${url}${path}`);
          const hit = await send(`${url}${path}`);
          expect(hit.headers.age).toBeDefined();
          expect(cacheMade(hit.headers.etag)).toBe(false);
        }
        await send(`${url}/whole`);
        expect((await send(`${url}/whole`)).headers.etag).toBeDefined();
      });
    });

    it('6. a waiter that gave up after lockTimeout renders its own and does not store it (nginx proxy_cache_lock_timeout)', async () => {
      const held = gate();
      const { calls, cache, clock, route: spec } = route((n) => ({ body: `v${n}` }), { lockTimeout: '5s' });
      const reply = spec.reply;
      spec.reply = async (req) => {
        const answer = reply(req);
        if (calls.count === 1) await held.promise;
        return answer;
      };
      await withApp({ routes: [spec] }, async ({ url }) => {
        const first = send(`${url}/page`);
        await eventually(() => calls.count === 1);
        const second = send(`${url}/page`);
        // the second request has looked the page up (a miss) and waits on the first render
        await eventually(() => cache.stats().misses >= 2);
        await clock.advance(5_001);
        expect((await second).text).toBe('v2');
        const third = await send(`${url}/page`);
        expect(third.text).toBe('v3');
        expect(third.headers.age).toBeUndefined();
        held.open();
        expect((await first).text).toBe('v1');
      });
    });

    it('7. expireByTag serves tagged pages stale while one background render refreshes each (soft purge)', async () => {
      const { calls, cache, route: spec } = route((n) => ({ body: `v${n}` }), { tags: ['catalogue'] });
      await withApp({ routes: [spec] }, async ({ url }) => {
        await send(`${url}/page`);
        await cache.expireByTag('catalogue');
        const stale = await send(`${url}/page`);
        expect(stale.text).toBe('v1');
        expect(stale.headers.age).toBeDefined();
        await eventually(async () => (await send(`${url}/page`)).text === 'v2');
        expect(calls.count).toBe(2);
        await cache.deleteByTag('catalogue');
        expect((await send(`${url}/page`)).text).toBe('v3');
      });
    });

    describe('8. an aborted response is never stored', () => {
      it('a handler stream that errors mid-way', async () => {
        let fail = true;
        const { calls, route: spec } = route((n) => ({ stream: { chunks: 3, size: 512, fail }, headers: { 'x-n': String(n) } }));
        await withApp({ routes: [spec] }, async ({ url }) => {
          await send(`${url}/page`).catch(() => undefined);
          fail = false;
          const next = await send(`${url}/page`);
          expect(next.headers.age).toBeUndefined();
          expect(next.headers['x-n']).toBe('2');
          expect(next.body.length).toBe(3 * 512);
          expect(calls.count).toBe(2);
        });
      });

      it('a client that goes away before the handler answers', async () => {
        const held = gate();
        const { calls, route: spec } = route((n) => ({ body: `v${n}` }));
        const reply = spec.reply;
        spec.reply = async (req) => {
          const answer = reply(req);
          if (calls.count === 1) await held.promise;
          return answer;
        };
        await withApp({ routes: [spec] }, async ({ url, connections }) => {
          const gone = abandon(`${url}/page`);
          await eventually(() => calls.count === 1);
          await gone;
          await eventually(async () => (await connections()) === 0);
          held.open();
          const next = await send(`${url}/page`);
          expect(next.text).toBe('v2');
          expect(next.headers.age).toBeUndefined();
        });
      });
    });

    it('9. strict: a response is not stored when the handler read a request header outside the key', async () => {
      const reads = (n: number, req: { headers: Record<string, string | string[] | undefined> }, name: string): Reply => ({
        body: `${req.headers[name] ?? '-'} #${n}`,
        vary: 'Accept-Language',
      });
      const tenant = route((n, req) => reads(n, req, 'x-tenant'), { strict: true });
      const keyed = route((n, req) => reads(n, req, 'accept-language'), { strict: true });
      keyed.route.path = '/keyed';
      const lax = route((n, req) => reads(n, req, 'x-tenant'));
      lax.route.path = '/lax';
      await withApp({ routes: [tenant.route, keyed.route, lax.route] }, async ({ url }) => {
        const headers = { 'x-tenant': 'a', 'accept-language': 'en' };
        await send(`${url}/page`, { headers });
        expect((await send(`${url}/page`, { headers: { 'x-tenant': 'b', 'accept-language': 'en' } })).text).toBe('b #2');
        await send(`${url}/keyed`, { headers });
        expect((await send(`${url}/keyed`, { headers })).headers.age).toBeDefined();
        await send(`${url}/lax`, { headers });
        expect((await send(`${url}/lax`, { headers })).headers.age).toBeDefined();
      });
    });

    it('10. declared variants key pages on the resolved value and add the raw header to Vary', async () => {
      const negotiate = (request: { headers: Record<string, unknown> }) =>
        String(request.headers['accept-language'] ?? '').startsWith('fr') ? 'fr' : 'en';
      const { calls, route: spec } = route((n, req) => ({ body: `${negotiate(req)} #${n}` }), { variants: { lang: negotiate } });
      await withApp({ routes: [spec] }, async ({ url }) => {
        const get = (value: string) => send(`${url}/page`, { headers: { 'accept-language': value } });
        const first = await get('fr-FR');
        expect(first.text).toBe('fr #1');
        expect(first.headers.vary).toMatch(/accept-language/i);
        expect((await get('fr-CA, fr;q=0.9')).text).toBe('fr #1');
        expect((await get('en-US')).text).toBe('en #2');
        const hit = await get('de');
        expect(hit.text).toBe('en #2');
        expect(hit.headers.vary).toMatch(/accept-language/i);
        expect(calls.count).toBe(2);
      });
    });

    it('11. Cache-Status says fwd=bypass or fwd=request for requests that bypass the cache, never vary-miss', async () => {
      const { route: spec } = route((n) => ({ body: `v${n}` }), { cacheStatus: 'c', honorClientNoCache: true });
      await withApp({ routes: [spec] }, async ({ url }) => {
        await send(`${url}/page`);
        const status = async (headers: Record<string, string>) => String((await send(`${url}/page`, { headers })).headers['cache-status']);
        expect(await status({ authorization: 'Bearer x' })).toBe('c; fwd=bypass');
        expect(await status({ cookie: 'tracker=1' })).toBe('c; fwd=bypass');
        expect(await status({ 'cache-control': 'no-cache' })).toMatch(/^c; fwd=request/);
        expect(await status({})).toMatch(/^c; hit/);
      });
    });

    it('12. requests waiting on a render are released once the page is in memory, not once a hung shared tier has it', async () => {
      // a shared tier whose writes never answer (a frozen Redis), its reads still a miss
      const shared = chaosStore(keyvStore(new Keyv()));
      shared.set = () => new Promise<void>(() => undefined);
      const calls = counter();
      const pages = createCache({ tiers: [{ store: memoryStore() }, { store: shared, timeout: '1h' }] });
      const spec: RouteSpec = {
        path: '/page',
        cachePage: { ttl: '1m', options: { cache: pages, lockTimeout: '3s' } },
        reply: calls.wrap((_r, n) => ({ body: `v${n}`, delay: 100 })),
      };
      await withApp({ routes: [spec] }, async ({ url }) => {
        const responses = await Promise.all(Array.from({ length: 5 }, () => send(`${url}/page`)));
        expect(responses.map((r) => r.text)).toEqual(Array(5).fill('v1'));
        expect(calls.count).toBe(1);
        expect((await send(`${url}/page`)).headers.age).toBeDefined();
      });
    });

    it('13. a Host that is not a hostname (empty labels, "..") is not cached', async () => {
      const { calls, route: spec } = route((n) => ({ body: `v${n}` }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        const { port } = new URL(url);
        for (const host of [`a..example.com:${port}`, `.example.com:${port}`, `-a.example.com:${port}`]) {
          const before = calls.count;
          await send(`${url}/page`, { headers: { host } });
          const again = await send(`${url}/page`, { headers: { host } });
          expect(again.headers.age).toBeUndefined();
          expect(calls.count).toBe(before + 2);
        }
      });
    });
  });
}
