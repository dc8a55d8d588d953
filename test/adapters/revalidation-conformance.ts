import { createCache, manualClock } from '@cachette/core';
import {
  type AppSpec,
  counter,
  type MakeApp,
  type Reply,
  type RouteSpec,
  type RunningApp,
  type SeenRequest,
  send,
  withAppOf,
} from './harness.js';
import type { Runner } from './page-conformance.js';

const LAST_MODIFIED = 'Wed, 01 Jan 2020 00:00:00 GMT';

/**
 * Revalidation with validators (RFC 9111 §4.3): a stale (or `no-cache`) page is asked of the
 * handler with `If-None-Match` / `If-Modified-Since` from what is stored, and the handler's own
 * conditional GET (Express `req.fresh`, Koa `ctx.fresh`, by hand on Fastify) answers 304.
 */
export function revalidationConformance(adapterName: string, makeApp: MakeApp, { describe, it, expect }: Runner): void {
  const withApp = (spec: AppSpec, body: (app: RunningApp) => Promise<void>) => withAppOf(makeApp, spec, body);

  /** A cachePage('1h') route on its own cache and clock; `reply` gets the call number and the request. */
  function route(reply: (n: number, req: SeenRequest) => Reply) {
    const calls = counter();
    const clock = manualClock();
    const cache = createCache({ clock });
    const spec: RouteSpec = {
      path: '/page',
      cachePage: { ttl: '1h', options: { cache, clock } },
      reply: calls.wrap((req, n) => reply(n, req)),
    };
    return { calls, clock, route: spec };
  }

  const header = (req: SeenRequest | undefined, name: string) => req?.headers[name];

  describe(`revalidation with validators: ${adapterName}`, () => {
    it('a stale page is asked with If-None-Match; the handler’s 304 freshens it and the client gets it whole', async () => {
      const {
        calls,
        clock,
        route: spec,
      } = route((n) => ({
        body: 'page one',
        conditional: true,
        headers: { etag: '"v1"', 'cache-control': 'max-age=10', 'x-render': String(n), 'content-type': 'text/plain' },
      }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        const miss = await send(`${url}/page`);
        expect(miss.text).toBe('page one');
        // a plain miss: the handler sees no validator the cache made up
        expect(header(calls.seen[0], 'if-none-match')).toBeUndefined();
        await clock.advance(11_000);
        const revalidated = await send(`${url}/page`);
        expect(calls.count).toBe(2);
        expect(header(calls.seen[1], 'if-none-match')).toBe('"v1"');
        expect(revalidated.status).toBe(200);
        expect(revalidated.text).toBe('page one');
        // RFC 9111 §3.2: the 304's fields replace the stored ones
        expect(revalidated.headers['x-render']).toBe('2');
        expect(revalidated.headers['content-type']).toMatch(/^text\/plain/);
        const hit = await send(`${url}/page`);
        expect(calls.count).toBe(2);
        expect(hit.text).toBe('page one');
        expect(hit.headers['x-render']).toBe('2');
      });
    });

    it('a stale page with only Last-Modified is asked with If-Modified-Since, the stored value as it is', async () => {
      const {
        calls,
        clock,
        route: spec,
      } = route(() => ({
        body: 'dated',
        conditional: true,
        headers: { 'last-modified': LAST_MODIFIED, 'cache-control': 'max-age=10' },
      }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        await send(`${url}/page`);
        await clock.advance(11_000);
        const revalidated = await send(`${url}/page`);
        // (Express adds an ETag of its own, sent as If-None-Match beside it)
        expect(header(calls.seen[1], 'if-modified-since')).toBe(LAST_MODIFIED);
        expect(revalidated.status).toBe(200);
        expect(revalidated.text).toBe('dated');
        expect((await send(`${url}/page`)).text).toBe('dated');
        expect(calls.count).toBe(2);
      });
    });

    it('the handler sees the cache’s validators, not the client’s; the client gets a 304 only when its own matches', async () => {
      const {
        calls,
        clock,
        route: spec,
      } = route(() => ({
        body: 'page',
        conditional: true,
        headers: { etag: '"v1"', 'cache-control': 'max-age=10' },
      }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        await send(`${url}/page`);
        await clock.advance(11_000);
        const other = await send(`${url}/page`, { headers: { 'if-none-match': '"other"' } });
        expect(header(calls.seen[1], 'if-none-match')).toBe('"v1"');
        expect(other.status).toBe(200);
        expect(other.text).toBe('page');
        await clock.advance(11_000);
        const same = await send(`${url}/page`, { headers: { 'if-none-match': '"v1"' } });
        expect(calls.count).toBe(3);
        expect(same.status).toBe(304);
        expect(same.body.byteLength).toBe(0);
      });
    });

    it('a 304 answering the client’s own If-None-Match on a miss is passed on, never stored as the page', async () => {
      const { calls, route: spec } = route(() => ({ body: 'page', conditional: true, headers: { etag: '"v1"' } }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        const conditional = await send(`${url}/page`, { headers: { 'if-none-match': '"v1"' } });
        expect(conditional.status).toBe(304);
        const plain = await send(`${url}/page`);
        expect(plain.status).toBe(200);
        expect(plain.text).toBe('page');
        expect(calls.count).toBe(2);
        expect(header(calls.seen[1], 'if-none-match')).toBeUndefined();
      });
    });

    it('a 304 whose strong ETag is not the stored one updates nothing (RFC 9111 §4.3.4)', async () => {
      const {
        calls,
        clock,
        route: spec,
      } = route((n) =>
        n === 1
          ? { body: 'page', headers: { etag: '"v1"', 'cache-control': 'max-age=10', 'x-render': '1' } }
          : { status: 304, headers: { etag: '"v2"', 'cache-control': 'max-age=10', 'x-render': String(n) } },
      );
      await withApp({ routes: [spec] }, async ({ url }) => {
        await send(`${url}/page`);
        await clock.advance(11_000);
        const answered = await send(`${url}/page`);
        expect(answered.status).toBe(200);
        expect(answered.text).toBe('page');
        expect(answered.headers['x-render']).toBe('1');
        expect(answered.headers.etag).toBe('"v1"');
        // still stale: asked again
        await send(`${url}/page`);
        expect(calls.count).toBe(3);
      });
    });

    it('a 200 answer to the revalidation replaces the page', async () => {
      const {
        calls,
        clock,
        route: spec,
      } = route((n) => ({
        body: `page ${n}`,
        conditional: true,
        headers: { etag: `"v${n}"`, 'cache-control': 'max-age=10' },
      }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        await send(`${url}/page`);
        await clock.advance(11_000);
        const replaced = await send(`${url}/page`);
        expect(header(calls.seen[1], 'if-none-match')).toBe('"v1"');
        expect(replaced.text).toBe('page 2');
        expect((await send(`${url}/page`)).text).toBe('page 2');
        expect(calls.count).toBe(2);
      });
    });

    it('a no-cache page with an ETag is stored, and revalidated before every use (RFC 9111 §5.2.2.4)', async () => {
      const { calls, route: spec } = route((n) => ({
        body: 'checked',
        conditional: true,
        headers: { etag: '"v1"', 'cache-control': 'no-cache', 'x-render': String(n) },
      }));
      await withApp({ routes: [spec] }, async ({ url }) => {
        await send(`${url}/page`);
        const second = await send(`${url}/page`);
        const third = await send(`${url}/page`);
        expect(calls.count).toBe(3);
        expect(header(calls.seen[1], 'if-none-match')).toBe('"v1"');
        expect(header(calls.seen[2], 'if-none-match')).toBe('"v1"');
        expect(second.text).toBe('checked');
        expect(third.text).toBe('checked');
        expect(third.headers['x-render']).toBe('3');
      });
    });
  });
}
