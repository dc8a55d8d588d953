import { connect } from 'node:net';
import { type Cache, createCache, manualClock, purgeUrl } from '@cachette/core';
import { keyvStore } from '@cachette/core/keyv';
import Keyv from 'keyv';
import type { describe as Describe, expect as Expect, it as It } from 'vitest';
import { chaosStore } from '../helpers/chaos-store.js';
import {
  type AppSpec,
  counter,
  eventually,
  type MakeApp,
  type Reply,
  type RouteSpec,
  type RunningApp,
  send,
  streamBytes,
} from './harness.js';
import { revalidationConformance } from './revalidation-conformance.js';
import { rulesConformance } from './rules-conformance.js';

export type { AppSpec, MakeApp, RouteSpec } from './harness.js';

/** The test runner's functions, so that any runner can drive the suite. */
export interface Runner {
  describe: typeof Describe;
  it: typeof It;
  expect: typeof Expect;
}

const NEVER_CACHE = 'max-age=0, no-cache, no-store, must-revalidate, private';

/**
 * The page cache as every adapter must deliver it, over real HTTP to a real server of the
 * framework. Each test builds its own app and cache, so tests share nothing.
 */
export function pageConformance(adapterName: string, makeApp: MakeApp, { describe, it, expect }: Runner): void {
  /** Runs `body` against a fresh app built from `spec`, and always closes it. */
  async function withApp(spec: AppSpec, body: (app: RunningApp) => Promise<void>): Promise<void> {
    const app = await makeApp(spec);
    try {
      await body(app);
    } finally {
      await app.close();
    }
  }

  /** A cachePage('1m') route on its own cache, answering `reply` and counting calls. */
  function cachedRoute(reply: Reply | ((n: number) => Reply), extra: Partial<RouteSpec> = {}) {
    const calls = counter();
    const cache = createCache();
    const route: RouteSpec = {
      path: '/page',
      cachePage: { ttl: '1m', options: { cache } },
      reply: calls.wrap((_req, n) => (typeof reply === 'function' ? reply(n) : reply)),
      ...extra,
    };
    return { calls, cache, route };
  }

  describe(`page cache conformance: ${adapterName}`, () => {
    it('renders on a miss, then serves the hit with Age without calling the handler', async () => {
      const { calls, route } = cachedRoute((n) => ({ body: `hello ${n}`, headers: { 'content-type': 'text/plain' } }));
      await withApp({ routes: [route] }, async ({ url }) => {
        const miss = await send(`${url}/page`);
        expect(miss.status).toBe(200);
        expect(miss.text).toBe('hello 1');
        expect(miss.headers.age).toBeUndefined();
        const hit = await send(`${url}/page`);
        expect(hit.status).toBe(200);
        expect(hit.text).toBe('hello 1');
        expect(hit.headers.age).toMatch(/^\d+$/);
        expect(hit.headers['content-type']).toMatch(/^text\/plain/);
        expect(calls.count).toBe(1);
      });
    });

    describe('response vetoes: rendered every time, never stored', () => {
      const cases: [string, Reply][] = [
        ['Set-Cookie', { body: 'x', cookie: 'sid=1; Path=/' }],
        ['Cache-Control: PRIVATE', { body: 'x', headers: { 'cache-control': 'PRIVATE' } }],
        [
          'Cache-Control: max-age=60, Private="set-cookie"',
          { body: 'x', headers: { 'cache-control': 'max-age=60, Private="set-cookie"' } },
        ],
        ['Cache-Control: No-Store', { body: 'x', headers: { 'cache-control': 'public, No-Store' } }],
        ['Cache-Control: no-cache (two field lines)', { body: 'x', headers: { 'cache-control': ['max-age=60', 'NO-CACHE'] } }],
        ['Vary: *', { body: 'x', vary: '*' }],
        ['Vary: Accept, *', { body: 'x', vary: 'Accept, *' }],
        ['status 404 (not configured)', { status: 404, body: 'x' }],
        ['status 500', { status: 500, body: 'x' }],
        ['status 503', { status: 503, body: 'x' }],
      ];
      for (const [name, reply] of cases) {
        it(name, async () => {
          const { calls, route } = cachedRoute(reply);
          await withApp({ routes: [route] }, async ({ url }) => {
            const first = await send(`${url}/page`);
            const second = await send(`${url}/page`);
            expect(second.status).toBe(first.status);
            expect(second.headers.age).toBeUndefined();
            expect(calls.count).toBe(2);
          });
        });
      }

      it('a configured 404 is stored, a 5xx never is', async () => {
        const calls = counter();
        const cache = createCache();
        const options = { cache, statuses: { 200: '1m', 404: '30s' } };
        const routes: RouteSpec[] = [
          { path: '/missing', cachePage: { ttl: '1m', options }, reply: calls.wrap(() => ({ status: 404, body: 'gone' })) },
          { path: '/broken', cachePage: { ttl: '1m', options }, reply: calls.wrap(() => ({ status: 502, body: 'bad' })) },
        ];
        await withApp({ routes }, async ({ url }) => {
          await send(`${url}/missing`);
          const hit = await send(`${url}/missing`);
          expect(hit.status).toBe(404);
          expect(hit.headers.age).toBeDefined();
          expect(calls.count).toBe(1);
          await send(`${url}/broken`);
          const again = await send(`${url}/broken`);
          expect(again.status).toBe(502);
          expect(calls.count).toBe(3);
        });
      });
    });

    describe('request vetoes', () => {
      it('Authorization: neither served a stored page nor stored, unless the page is public', async () => {
        const { calls, route } = cachedRoute({ body: 'private-ish' });
        const shared = cachedRoute({ body: 'shared', headers: { 'cache-control': 'public, max-age=60' } });
        shared.route.path = '/public';
        await withApp({ routes: [route, shared.route] }, async ({ url }) => {
          const auth = { authorization: 'Bearer abc' };
          await send(`${url}/page`, { headers: auth });
          await send(`${url}/page`);
          expect(calls.count).toBe(2);
          const authed = await send(`${url}/page`, { headers: auth });
          expect(authed.headers.age).toBeUndefined();
          expect(calls.count).toBe(3);
          const plain = await send(`${url}/page`);
          expect(plain.headers.age).toBeDefined();

          await send(`${url}/public`, { headers: auth });
          const publicHit = await send(`${url}/public`, { headers: auth });
          expect(publicHit.headers.age).toBeDefined();
          expect(shared.calls.count).toBe(1);
        });
      });

      it('a cookie the route did not declare', async () => {
        const { calls, route } = cachedRoute((n) => ({ body: `v${n}` }));
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/page`, { headers: { cookie: 'tracker=1' } });
          await send(`${url}/page`);
          expect(calls.count).toBe(2);
          const withCookie = await send(`${url}/page`, { headers: { cookie: 'tracker=1' } });
          expect(withCookie.text).toBe('v3');
          expect(withCookie.headers.age).toBeUndefined();
        });
      });

      it('a GET with a body, and a POST overriding its method to GET', async () => {
        const { calls, route } = cachedRoute((n) => ({ body: `v${n}` }), { method: 'ALL' });
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/page`);
          expect((await send(`${url}/page`)).headers.age).toBeDefined();
          const withBody = await send(`${url}/page`, { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          expect(withBody.text).toBe('v2');
          expect(withBody.headers.age).toBeUndefined();
          const overridden = await send(`${url}/page`, {
            method: 'POST',
            body: 'a=1',
            headers: { 'x-http-method-override': 'GET', 'content-type': 'application/x-www-form-urlencoded' },
          });
          expect(overridden.text).toBe('v3');
          expect(overridden.headers.age).toBeUndefined();
          expect(calls.count).toBe(3);
        });
      });
    });

    describe('Vary', () => {
      const byLanguage = (req: { headers: Record<string, string | string[] | undefined> }, n: number) =>
        `${req.headers['accept-language'] ?? 'none'} #${n}`;

      it('learns Accept-Language from the response Vary', async () => {
        const calls = counter();
        const route: RouteSpec = {
          path: '/page',
          cachePage: { ttl: '1m', options: { cache: createCache() } },
          reply: calls.wrap((req, n) => ({ body: byLanguage(req, n), vary: 'Accept-Language' })),
        };
        await withApp({ routes: [route] }, async ({ url }) => {
          const get = (lang: string) => send(`${url}/page`, { headers: { 'accept-language': lang } });
          expect((await get('en')).text).toBe('en #1');
          expect((await get('en')).text).toBe('en #1');
          expect((await get('fr')).text).toBe('fr #2');
          expect((await get('fr')).text).toBe('fr #2');
          const en = await get('en');
          expect(en.text).toBe('en #1');
          expect(en.headers.vary).toMatch(/accept-language/i);
          expect(calls.count).toBe(2);
        });
      });

      it('varyOnHeaders keys on the header and adds it to Vary', async () => {
        const calls = counter();
        const route: RouteSpec = {
          path: '/page',
          varyOnHeaders: ['Accept-Language'],
          cachePage: { ttl: '1m', options: { cache: createCache() } },
          reply: calls.wrap((req, n) => ({ body: byLanguage(req, n) })),
        };
        await withApp({ routes: [route] }, async ({ url }) => {
          const get = (lang: string) => send(`${url}/page`, { headers: { 'accept-language': lang } });
          const first = await get('en');
          expect(first.headers.vary).toMatch(/accept-language/i);
          // the very first request already keys on the declared header: nothing to learn
          expect((await get('fr')).text).toBe('fr #2');
          expect((await get('en')).text).toBe('en #1');
          const hit = await get('fr');
          expect(hit.text).toBe('fr #2');
          expect(hit.headers.vary).toMatch(/accept-language/i);
          expect(calls.count).toBe(2);
        });
      });

      it('varyOnCookies keys on the declared cookie and says Vary: Cookie', async () => {
        const calls = counter();
        const route: RouteSpec = {
          path: '/me',
          varyOnCookies: ['session'],
          cachePage: { ttl: '1m', options: { cache: createCache() } },
          reply: calls.wrap((req, n) => ({ body: `${req.headers.cookie ?? 'anonymous'} #${n}` })),
        };
        await withApp({ routes: [route] }, async ({ url }) => {
          const get = (cookie?: string) => send(`${url}/me`, cookie === undefined ? {} : { headers: { cookie } });
          const a = await get('session=a');
          expect(a.text).toBe('session=a #1');
          expect(a.headers.vary).toMatch(/cookie/i);
          expect((await get('session=a')).text).toBe('session=a #1');
          expect((await get('session=b')).text).toBe('session=b #2');
          expect((await get()).text).toBe('anonymous #3');
          const extra = await get('session=a; tracker=1');
          expect(extra.text).toBe('session=a; tracker=1 #4');
          expect(extra.headers.age).toBeUndefined();
          const b = await get('session=b');
          expect(b.text).toBe('session=b #2');
          expect(b.headers.age).toBeDefined();
          expect(calls.count).toBe(4);
        });
      });

      it('an absent header and an empty one are different variants', async () => {
        const { calls, route } = cachedRoute(() => ({ body: 'x' }));
        route.reply = calls.wrap((req, n) => ({ body: `${JSON.stringify(req.headers['x-flavour'] ?? null)} #${n}`, vary: 'X-Flavour' }));
        await withApp({ routes: [route] }, async ({ url }) => {
          const get = (flavour?: string) => send(`${url}/page`, flavour === undefined ? {} : { headers: { 'x-flavour': flavour } });
          expect((await get()).text).toBe('null #1');
          expect((await get('')).text).toBe('"" #2');
          expect((await get()).text).toBe('null #1');
          expect((await get('')).text).toBe('"" #2');
          expect(calls.count).toBe(2);
        });
      });
    });

    describe('conditional requests and HEAD', () => {
      const lastModified = 'Wed, 01 Jan 2025 00:00:00 GMT';
      const validated = () => cachedRoute({ body: 'content', headers: { etag: '"v1"', 'last-modified': lastModified } });

      it('answers If-None-Match and If-Modified-Since with 304 from the cache', async () => {
        const { calls, route } = validated();
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/page`);
          const inm = await send(`${url}/page`, { headers: { 'if-none-match': '"v0", "v1"' } });
          expect(inm.status).toBe(304);
          expect(inm.body.length).toBe(0);
          expect(inm.headers.etag).toBe('"v1"');
          const other = await send(`${url}/page`, { headers: { 'if-none-match': '"v2"' } });
          expect(other.status).toBe(200);
          expect(other.text).toBe('content');
          const ims = await send(`${url}/page`, { headers: { 'if-modified-since': lastModified } });
          expect(ims.status).toBe(304);
          const older = await send(`${url}/page`, { headers: { 'if-modified-since': 'Tue, 31 Dec 2024 00:00:00 GMT' } });
          expect(older.status).toBe(200);
          expect(calls.count).toBe(1);
        });
      });

      it('serves HEAD from the GET entry, without a body', async () => {
        const { calls, route } = validated();
        await withApp({ routes: [route] }, async ({ url }) => {
          const get = await send(`${url}/page`);
          const head = await send(`${url}/page`, { method: 'HEAD' });
          expect(head.status).toBe(200);
          expect(head.body.length).toBe(0);
          expect(head.headers.etag).toBe('"v1"');
          expect(head.headers['content-type']).toBe(get.headers['content-type']);
          expect(head.headers['content-length']).toBe(String(get.body.length));
          expect(calls.count).toBe(1);
        });
      });

      it('a HEAD miss never leaves an empty page for GET', async () => {
        const { route } = validated();
        await withApp({ routes: [route] }, async ({ url }) => {
          const head = await send(`${url}/page`, { method: 'HEAD' });
          expect(head.status).toBe(200);
          expect(head.body.length).toBe(0);
          const get = await send(`${url}/page`);
          expect(get.text).toBe('content');
          expect((await send(`${url}/page`)).text).toBe('content');
        });
      });
    });

    it('renders once for 10 concurrent misses', async () => {
      const { calls, route } = cachedRoute((n) => ({ body: `render ${n}`, delay: 150 }));
      await withApp({ routes: [route] }, async ({ url }) => {
        const responses = await Promise.all(Array.from({ length: 10 }, () => send(`${url}/page`)));
        expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
        expect(new Set(responses.map((r) => r.text))).toEqual(new Set(['render 1']));
        expect(calls.count).toBe(1);
      });
    });

    describe('bodies past maxBodyBytes', () => {
      it('a streamed body is delivered whole and not stored', async () => {
        const stream = { chunks: 40, size: 8 * 1024 };
        const { calls, route } = cachedRoute({ stream, headers: { 'content-type': 'application/octet-stream' } });
        route.cachePage = { ttl: '1m', options: { cache: createCache(), maxBodyBytes: '64kb' } };
        await withApp({ routes: [route] }, async ({ url }) => {
          const first = await send(`${url}/page`);
          expect(first.status).toBe(200);
          expect(first.body.equals(streamBytes(stream))).toBe(true);
          const second = await send(`${url}/page`);
          expect(second.body.equals(streamBytes(stream))).toBe(true);
          expect(second.headers.age).toBeUndefined();
          expect(calls.count).toBe(2);
        });
      });

      it('a body written at once is delivered whole and not stored', async () => {
        const body = Buffer.alloc(100 * 1024, 7);
        const { calls, route } = cachedRoute({ body, headers: { 'content-type': 'application/octet-stream' } });
        route.cachePage = { ttl: '1m', options: { cache: createCache(), maxBodyBytes: '64kb' } };
        await withApp({ routes: [route] }, async ({ url }) => {
          expect((await send(`${url}/page`)).body.equals(body)).toBe(true);
          expect((await send(`${url}/page`)).body.equals(body)).toBe(true);
          expect(calls.count).toBe(2);
        });
      });

      it('a streamed body under the limit is stored', async () => {
        const stream = { chunks: 4, size: 1024 };
        const { calls, route } = cachedRoute({ stream, headers: { 'content-type': 'application/octet-stream' } });
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/page`);
          const hit = await send(`${url}/page`);
          expect(hit.body.equals(streamBytes(stream))).toBe(true);
          expect(hit.headers.age).toBeDefined();
          expect(calls.count).toBe(1);
        });
      });
    });

    describe('stale pages', () => {
      function clocked(options: { staleWhileRevalidate?: string; staleIfError?: string }) {
        const clock = manualClock();
        const cache = createCache({ clock });
        return { clock, cache, options: { cache, clock, ...options } };
      }

      it('stale-while-revalidate: answers stale at once, one background render refreshes it', async () => {
        const { clock, options } = clocked({ staleWhileRevalidate: '1m' });
        const calls = counter();
        const route: RouteSpec = { path: '/page', cachePage: { ttl: '10s', options }, reply: calls.wrap((_r, n) => ({ body: `v${n}` })) };
        await withApp({ routes: [route] }, async ({ url }) => {
          expect((await send(`${url}/page`)).text).toBe('v1');
          await clock.advance(11_000);
          const stale = await send(`${url}/page`);
          expect(stale.text).toBe('v1');
          expect(Number(stale.headers.age)).toBeGreaterThanOrEqual(11);
          await eventually(() => calls.count === 2);
          await eventually(async () => (await send(`${url}/page`)).text === 'v2');
          expect(calls.count).toBe(2);
        });
      });

      it('stale-if-error: a throwing or 5xx handler is answered with the stale page', async () => {
        const { clock, options } = clocked({ staleIfError: '1h' });
        let mode: 'ok' | 'throw' | '503' = 'ok';
        const calls = counter();
        const reply = calls.wrap(
          (_r, n): Reply => (mode === 'throw' ? { throw: true } : mode === '503' ? { status: 503, body: 'down' } : { body: `v${n}` }),
        );
        const route: RouteSpec = { path: '/page', cachePage: { ttl: '10s', options }, reply };
        await withApp({ routes: [route] }, async ({ url }) => {
          expect((await send(`${url}/page`)).text).toBe('v1');
          await clock.advance(11_000);
          mode = 'throw';
          const afterThrow = await send(`${url}/page`);
          expect(afterThrow.status).toBe(200);
          expect(afterThrow.text).toBe('v1');
          mode = '503';
          const after503 = await send(`${url}/page`);
          expect(after503.status).toBe(200);
          expect(after503.text).toBe('v1');
          expect(calls.count).toBe(3);
        });
      });

      it('without stale-if-error a throwing handler is a 500', async () => {
        const { calls, route } = cachedRoute({ throw: true });
        await withApp({ routes: [route] }, async ({ url }) => {
          expect((await send(`${url}/page`)).status).toBe(500);
          expect((await send(`${url}/page`)).status).toBe(500);
          expect(calls.count).toBe(2);
        });
      });
    });

    describe('invalidation', () => {
      it('a successful POST drops every variant of its URL', async () => {
        const calls = counter();
        const route: RouteSpec = {
          method: 'ALL',
          path: '/item',
          cachePage: { ttl: '1m', options: { cache: createCache() } },
          reply: calls.wrap((req, n) => ({ body: `${req.method} ${req.headers['accept-language']} #${n}`, vary: 'Accept-Language' })),
        };
        await withApp({ routes: [route] }, async ({ url }) => {
          const get = (lang: string) => send(`${url}/item`, { headers: { 'accept-language': lang } });
          await get('en');
          await get('fr');
          expect((await get('en')).headers.age).toBeDefined();
          expect(calls.count).toBe(2);
          const post = await send(`${url}/item`, { method: 'POST', body: 'x=1', headers: { 'accept-language': 'en' } });
          expect(post.status).toBe(200);
          expect(calls.count).toBe(3);
          await eventually(async () => (await get('fr')).headers.age === undefined);
          expect((await get('en')).headers.age).toBeUndefined();
        });
      });

      it('purgeUrl and deleteByTag from code', async () => {
        const calls = counter();
        const cache = createCache();
        const route: RouteSpec = {
          path: '/p/:id',
          cachePage: { ttl: '1m', options: { cache, tags: (req) => [`product:${req.params?.id}`] } },
          reply: calls.wrap((req, n) => ({ body: `${req.url} #${n}` })),
        };
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/p/1`);
          await send(`${url}/p/2`);
          expect((await send(`${url}/p/1`)).headers.age).toBeDefined();
          expect(calls.count).toBe(2);

          await purgeUrl(cache, `${url}/p/1`);
          expect((await send(`${url}/p/1`)).text).toBe('/p/1 #3');

          await cache.deleteByTag('product:1');
          expect((await send(`${url}/p/1`)).text).toBe('/p/1 #4');
          const other = await send(`${url}/p/2`);
          expect(other.text).toBe('/p/2 #2');
          expect(other.headers.age).toBeDefined();
        });
      });
    });

    it('a broken store still serves pages', async () => {
      const store = chaosStore(keyvStore(new Keyv()));
      store.mode = 'throw';
      const errors: unknown[] = [];
      const cache: Cache = createCache({ tiers: [{ store }] });
      const calls = counter();
      const route: RouteSpec = {
        path: '/page',
        cachePage: { ttl: '1m', options: { cache, onError: (e) => errors.push(e) } },
        reply: calls.wrap((_r, n) => ({ body: `v${n}` })),
      };
      await withApp({ routes: [route] }, async ({ url }) => {
        for (let i = 0; i < 3; i++) {
          const response = await send(`${url}/page`);
          expect(response.status).toBe(200);
          expect(response.text).toMatch(/^v\d$/);
        }
        expect(store.calls.get ?? 0).toBeGreaterThan(0);
      });
    });

    describe('header middleware', () => {
      it('neverCache sets Django never_cache headers over the handler’s own', async () => {
        const calls = counter();
        const route: RouteSpec = {
          path: '/live',
          neverCache: true,
          reply: calls.wrap(() => ({ body: 'live', headers: { 'cache-control': 'public, max-age=60' } })),
        };
        await withApp({ routes: [route] }, async ({ url }) => {
          expect((await send(`${url}/live`)).headers['cache-control']).toBe(NEVER_CACHE);
        });
      });

      it('cacheControl patches the handler’s Cache-Control', async () => {
        const routes: RouteSpec[] = [
          { path: '/plain', cacheControl: { public: true, maxAge: '5m' }, reply: () => ({ body: 'x' }) },
          {
            path: '/patched',
            cacheControl: { public: true, maxAge: '5m' },
            reply: () => ({ body: 'x', headers: { 'cache-control': 'private, max-age=60, no-transform' } }),
          },
        ];
        await withApp({ routes }, async ({ url }) => {
          expect((await send(`${url}/plain`)).headers['cache-control']).toBe('public, max-age=300');
          expect((await send(`${url}/patched`)).headers['cache-control']).toBe('max-age=60, no-transform, public');
        });
      });

      it('cacheControl({ private: true }) behind cachePage keeps the page out of the cache', async () => {
        const { calls, route } = cachedRoute({ body: 'x' }, { cacheControl: { private: true } });
        await withApp({ routes: [route] }, async ({ url }) => {
          expect((await send(`${url}/page`)).headers['cache-control']).toBe('private');
          await send(`${url}/page`);
          expect(calls.count).toBe(2);
        });
      });
    });

    it('site-wide cachette() caches every GET, except a neverCache route', async () => {
      const cache = createCache();
      const pages = counter();
      const live = counter();
      const routes: RouteSpec[] = [
        { path: '/a', reply: pages.wrap((_r, n) => ({ body: `a${n}` })) },
        { path: '/live', neverCache: true, reply: live.wrap((_r, n) => ({ body: `live${n}` })) },
      ];
      await withApp({ routes, siteWide: { cache, ttl: '1m' } }, async ({ url }) => {
        await send(`${url}/a`);
        const hit = await send(`${url}/a`);
        expect(hit.text).toBe('a1');
        expect(hit.headers.age).toBeDefined();
        expect(pages.count).toBe(1);
        await send(`${url}/live`);
        const second = await send(`${url}/live`);
        expect(second.text).toBe('live2');
        expect(second.headers['cache-control']).toBe(NEVER_CACHE);
        expect(live.count).toBe(2);
      });
    });

    describe('standards', () => {
      it('an s-maxage page is never served stale, even with stale-if-error (RFC 9111 §5.2.2.10)', async () => {
        const clock = manualClock();
        const cache = createCache({ clock });
        let down = false;
        const calls = counter();
        const reply = calls.wrap(
          (): Reply => (down ? { status: 503, body: 'down' } : { body: 'v1', headers: { 'cache-control': 's-maxage=10' } }),
        );
        const route: RouteSpec = { path: '/page', cachePage: { ttl: '1m', options: { cache, clock, staleIfError: '1h' } }, reply };
        await withApp({ routes: [route] }, async ({ url }) => {
          expect((await send(`${url}/page`)).text).toBe('v1');
          await clock.advance(11_000);
          down = true;
          expect((await send(`${url}/page`)).status).toBe(503);
        });
      });

      it('If-Modified-Since is answered from the stored Date when the page has no Last-Modified (RFC 9111 §4.3.2)', async () => {
        const { calls, route } = cachedRoute({ body: 'x' });
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/page`);
          const later = new Date(Date.now() + 60_000).toUTCString();
          const earlier = new Date(Date.now() - 3_600_000).toUTCString();
          expect((await send(`${url}/page`, { headers: { 'if-modified-since': later } })).status).toBe(304);
          expect((await send(`${url}/page`, { headers: { 'if-modified-since': earlier } })).status).toBe(200);
          expect(calls.count).toBe(1);
        });
      });

      it('a successful POST also drops its same-origin Location and Content-Location URLs (RFC 9111 §4.4)', async () => {
        const calls = counter();
        const cache = createCache();
        const routes: RouteSpec[] = ['/a', '/b', '/c'].map((path) => ({
          path,
          cachePage: { ttl: '1m', options: { cache } },
          reply: calls.wrap((req, n) => ({ body: `${req.url} #${n}` })),
        }));
        routes.push({
          method: 'ALL',
          path: '/form',
          cachePage: { ttl: '1m', options: { cache } },
          reply: (req) =>
            req.method === 'POST' ? { status: 201, headers: { location: '/a', 'content-location': 'b' } } : { body: 'form' },
        });
        await withApp({ routes }, async ({ url }) => {
          for (const path of ['/a', '/b', '/c']) await send(`${url}${path}`);
          for (const path of ['/a', '/b', '/c']) expect((await send(`${url}${path}`)).headers.age).toBeDefined();
          expect((await send(`${url}/form`, { method: 'POST', body: 'x' })).status).toBe(201);
          await eventually(async () => (await send(`${url}/a`)).headers.age === undefined);
          expect((await send(`${url}/b`)).headers.age).toBeUndefined();
          expect((await send(`${url}/c`)).headers.age).toBeDefined();
        });
      });

      it('a POST invalidates the page stored under an equivalent spelling of its URL (RFC 9111 §4.4, RFC 3986 §6.2.2)', async () => {
        const calls = counter();
        const route: RouteSpec = {
          method: 'ALL',
          path: '/p/:id',
          cachePage: { ttl: '1m', options: { cache: createCache() } },
          reply: calls.wrap((req, n) => ({ body: `${req.method} #${n}` })),
        };
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/p/%61`);
          expect((await send(`${url}/p/%61`)).headers.age).toBeDefined();
          expect((await send(`${url}/p/a`, { method: 'POST', body: 'x' })).status).toBe(200);
          await eventually(async () => (await send(`${url}/p/%61`)).headers.age === undefined);
        });
      });
    });

    describe('hostile requests never crash, hang or leak a page', () => {
      /** One raw HTTP/1.1 exchange, for what a client library refuses to send. */
      function raw(url: string, head: string): Promise<string> {
        const { port } = new URL(url);
        return new Promise((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () =>
            socket.end(Buffer.from(`${head}\r\nConnection: close\r\n\r\n`, 'latin1')),
          );
          const chunks: Buffer[] = [];
          socket.on('data', (chunk: Buffer) => chunks.push(chunk));
          socket.on('error', reject);
          socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
        });
      }

      function echo() {
        const calls = counter();
        const route: RouteSpec = {
          path: '/page',
          cachePage: { ttl: '1m', options: { cache: createCache() } },
          reply: calls.wrap((req, n) => ({
            body: `#${n} host=${req.headers.host} xfh=${req.headers['x-forwarded-host']} lang=${req.headers['accept-language']}`,
            vary: 'Accept-Language',
          })),
        };
        return { calls, route };
      }

      it('absolute-form targets, X-Forwarded-Host, %00 and a missing Host never reach another client', async () => {
        const { route } = echo();
        await withApp({ routes: [route] }, async ({ url }) => {
          const { host } = new URL(url);
          await raw(url, 'GET http://evil.example/page HTTP/1.1\r\nHost: evil.example');
          await send(`${url}/page`, { headers: { 'x-forwarded-host': 'evil.example' } });
          await raw(url, 'GET /page HTTP/1.0');
          await raw(url, `GET /page%00 HTTP/1.1\r\nHost: ${host}`);
          const clean = await send(`${url}/page`);
          expect(clean.status).toBe(200);
          expect(clean.text).not.toContain('evil');
          expect(clean.text).toContain(`host=${host}`);
        });
      });

      it("duplicated and non-ASCII Vary'd headers key apart; the server keeps answering", async () => {
        const { calls, route } = echo();
        await withApp({ routes: [route] }, async ({ url }) => {
          const { host } = new URL(url);
          const many = Array.from({ length: 200 }, () => 'Accept-Language: fr').join('\r\n');
          expect(await raw(url, `GET /page HTTP/1.1\r\nHost: ${host}\r\n${many}`)).toMatch(/^HTTP\/1\.1 200/);
          const latin = await raw(url, `GET /page HTTP/1.1\r\nHost: ${host}\r\nAccept-Language: \u00e9`);
          const other = await raw(url, `GET /page HTTP/1.1\r\nHost: ${host}\r\nAccept-Language: \u00e8`);
          expect(latin).toMatch(/^HTTP\/1\.1 200/);
          expect(other).toContain(`#${calls.count}`);
          expect(other).not.toContain('lang=\u00e9');
          expect((await send(`${url}/page`, { headers: { 'accept-language': 'de' } })).status).toBe(200);
        });
      });

      it('a response that varies on too many headers is not stored', async () => {
        const vary = Array.from({ length: 100 }, (_, i) => `X-H${i}`).join(', ');
        const { calls, route } = cachedRoute({ body: 'x', vary });
        await withApp({ routes: [route] }, async ({ url }) => {
          await send(`${url}/page`);
          expect((await send(`${url}/page`)).headers.age).toBeUndefined();
          expect(calls.count).toBe(2);
        });
      });
    });
  });
  rulesConformance(adapterName, makeApp, { describe, it, expect });
  revalidationConformance(adapterName, makeApp, { describe, it, expect });
}
