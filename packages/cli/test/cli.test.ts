import { randomUUID } from 'node:crypto';
import { type Cache, createCache, manualClock, memoryStore } from '@cachette/core';
import { urlTag } from '@cachette/core/pages';
import { redisBus, redisStore } from '@cachette/redis';
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, REDIS_URL } from '../../../test/helpers/services.js';
import { cachette } from './run.js';

describe.skipIf(!REDIS_URL)('cachette against a real Redis', () => {
  const url = REDIS_URL as string;
  const admin = createClient({ url });
  const opened: Cache[] = [];
  beforeAll(async () => {
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.disconnect()));
  });
  afterAll(async () => {
    await admin.close();
  });

  /** One application process: a memory tier over Redis, and the bus, on its own channel. */
  async function app(namespace: string, options: { version?: number; clock?: ReturnType<typeof manualClock> } = {}) {
    const channel = `bus:${namespace}`;
    const cache = createCache({
      namespace,
      version: options.version ?? 1,
      clock: options.clock,
      tiers: [{ store: memoryStore(), ttl: '1m' }, { store: redisStore({ url }) }],
      bus: redisBus({ url, channel }),
    });
    opened.push(cache);
    // the bus subscribes in the background; the command must find it listening
    await eventually(async () => Number((await admin.pubSubNumSub(channel))[channel]) >= 1);
    return { cache, flags: ['--redis', url, '--namespace', namespace, '--channel', channel] };
  }

  const fresh = (prefix: string) => `${prefix}${randomUUID().slice(0, 8)}`;

  describe('purge', () => {
    it('--tag drops the entry from the memory tier of a process that holds it, and from Redis', async () => {
      const { cache, flags } = await app(fresh('purge'));
      await cache.set('p1', { name: 'lamp' }, { tags: ['product:1'] });
      await cache.set('p2', { name: 'desk' }, { tags: ['product:2'] });
      expect(cache.peek('p1')).toEqual({ name: 'lamp' });

      const run = await cachette('purge', '--tag', 'product:1', ...flags, '--json');

      expect(run.code).toBe(0);
      expect(run.json()).toMatchObject({ ok: true, command: 'purge', tags: ['product:1'], listeners: 1 });
      await eventually(() => cache.peek('p1') === undefined);
      expect(await cache.get('p1')).toBeUndefined();
      expect(cache.peek('p2')).toEqual({ name: 'desk' });
      // a process that never held the entry does not get it back from Redis either
      const other = createCache({ namespace: cache.path.split('@')[0], tiers: [{ store: redisStore({ url }) }] });
      opened.push(other);
      expect(await other.get('p1')).toBeUndefined();
      expect(await other.get('p2')).toEqual({ name: 'desk' });
    });

    it('--url drops every stored variant of a page, in memory and in Redis', async () => {
      const { cache, flags } = await app(fresh('url'));
      const tags = [urlTag('', 'shop.example', '/products/1?lang=fr')];
      await cache.set('variant-a', 'page a', { tags });
      await cache.set('variant-b', 'page b', { tags });
      await cache.set('other', 'page c', { tags: [urlTag('', 'shop.example', '/products/2')] });

      const run = await cachette('purge', '--url', 'https://shop.example/products/1?lang=fr', ...flags);

      expect(run.code).toBe(0);
      expect(run.out).toContain('purged url https://shop.example/products/1?lang=fr');
      await eventually(() => cache.peek('variant-a') === undefined && cache.peek('variant-b') === undefined);
      expect(await cache.get('variant-b')).toBeUndefined();
      expect(cache.peek('other')).toBe('page c');
    });

    it('checks every URL before purging anything', async () => {
      const { cache, flags } = await app(fresh('badurl'));
      await cache.set('k', 'v', { tags: ['t'] });
      const run = await cachette('purge', '--tag', 't', '--url', 'ftp://shop.example/x', ...flags);
      expect(run.code).toBe(1);
      expect(run.err).toContain('is not an absolute http(s) URL');
      expect(cache.peek('k')).toBe('v');
      expect(await cache.get('k')).toBe('v');
    });

    it('a bus message Redis refuses is a partial failure (exit 5), after the marks are written', async () => {
      const ns = fresh('noperm');
      const { cache, flags } = await app(ns);
      await cache.set('k', 'v', { tags: ['t'] });
      const user = `cli-${ns}`;
      await admin.sendCommand(['ACL', 'SETUSER', user, 'on', '>pw', '~*', '&*', '+@all', '-publish']);
      try {
        const noPublish = flags.map((f) => (f === url ? url.replace('redis://', `redis://${user}:pw@`) : f));
        const run = await cachette('purge', '--tag', 't', ...noPublish, '--json');
        expect(run.code).toBe(5);
        expect(run.json()).toMatchObject({ ok: false, error: { code: 'E_FAILED', exitCode: 5 } });
        expect(String((run.json().error as { message: string }).message)).toMatch(/NOPERM|publish/i);
        // the shared tier has the mark; only the memory tiers were not told
        expect(cache.peek('k')).toBe('v');
        const fromRedis = createCache({ namespace: ns, tiers: [{ store: redisStore({ url }) }] });
        opened.push(fromRedis);
        expect(await fromRedis.get('k')).toBeUndefined();
      } finally {
        await admin.sendCommand(['ACL', 'DELUSER', user]);
      }
    });

    it('a namespace with no keys is not found (exit 2), naming the versions that exist', async () => {
      const ns = fresh('ver');
      const { cache } = await app(ns, { version: 3 });
      await cache.set('k', 'v', { tags: ['t'] });
      const run = await cachette('purge', '--tag', 't', '--redis', url, '--namespace', ns, '--json');
      expect(run.code).toBe(2);
      expect(run.json()).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND', exitCode: 2 } });
      expect(String((run.json().error as { message: string }).message)).toContain(`found ${ns}@3`);
      expect(await cache.get('k')).toBe('v');
    });
  });

  describe('get', () => {
    it('shows a fresh entry with its tags and times, values of any kind', async () => {
      const { cache, flags } = await app(fresh('get'));
      const value = { at: new Date('2026-01-02T03:04:05Z'), ids: new Set([1, 2]), big: 12n, bytes: Buffer.from('hi') };
      await cache.set('user:1', value, { tags: ['user:1'], ttl: '10m' });

      const run = await cachette('get', 'user:1', ...flags, '--json');

      expect(run.code).toBe(0);
      const data = run.json();
      expect(data).toMatchObject({ ok: true, key: 'user:1', state: 'fresh', tags: ['user:1'] });
      expect(data.value).toEqual({ at: '2026-01-02T03:04:05.000Z', ids: [1, 2], big: '12', bytes: { $bytes: 'aGk=' } });
      expect(Number(data.freshFor)).toBeGreaterThan(9 * 60_000);
      const text = await cachette('get', 'user:1', ...flags);
      expect(text.out).toContain('user:1');
      expect(text.out).toContain('fresh');
      expect(text.out).toContain('12n');
    });

    it('tells a stale entry from a fresh one', async () => {
      const ns = fresh('stale');
      // written by a process whose clock reads ten minutes ago: fresh for one, stale for an hour after
      const clock = manualClock(Date.now() - 10 * 60_000);
      const { cache, flags } = await app(ns, { clock });
      await cache.set('old', 'v', { ttl: '1m', staleWhileRevalidate: '1h' });
      const run = await cachette('get', 'old', ...flags, '--json');
      expect(run.code).toBe(0);
      expect(run.json()).toMatchObject({ state: 'stale', value: 'v', freshFor: 0 });
    });

    it('a read Redis refuses is a failure (exit 5), never reported as not found', async () => {
      const ns = fresh('noget');
      const { cache, flags } = await app(ns);
      await cache.set('k', 'v');
      const user = `cli-${ns}`;
      await admin.sendCommand(['ACL', 'SETUSER', user, 'on', '>pw', '~*', '&*', '+@all', '-get', '-mget']);
      try {
        const run = await cachette(
          'get',
          'k',
          ...flags.map((f) => (f === url ? url.replace('redis://', `redis://${user}:pw@`) : f)),
          '--json',
        );
        expect(run.json()).toMatchObject({ ok: false, error: { code: 'E_FAILED', exitCode: 5 } });
        expect(run.code).toBe(5);
      } finally {
        await admin.sendCommand(['ACL', 'DELUSER', user]);
      }
    });

    it('a key that is not there, or was purged, is not found (exit 2)', async () => {
      const { cache, flags } = await app(fresh('miss'));
      await cache.set('gone', 'v', { tags: ['t'] });
      expect((await cachette('get', 'nope', ...flags)).code).toBe(2);
      expect((await cachette('get', 'gone', ...flags)).code).toBe(0);
      await cache.deleteByTag('t');
      const run = await cachette('get', 'gone', ...flags);
      expect(run.code).toBe(2);
      expect(run.err).toContain('no entry under "gone"');
    });
  });

  describe('stats', () => {
    it('counts entries and marks per namespace and version, and the bus listeners', async () => {
      const ns = fresh('stats');
      const v1 = await app(ns);
      await v1.cache.set('a', 1, { tags: ['t'] });
      await v1.cache.set('b', 2);
      await v1.cache.namespace('users').set('c', 3);
      await v1.cache.deleteByTag('t');
      const v2 = createCache({ namespace: ns, version: 2, tiers: [{ store: redisStore({ url }) }] });
      opened.push(v2);
      await v2.set('a', 1);

      const run = await cachette('stats', ...v1.flags, '--json');

      expect(run.code).toBe(0);
      const data = run.json() as { namespaces: unknown[]; bus: unknown; redis: Record<string, unknown> };
      expect(data.namespaces).toEqual([
        { path: `${ns}@1`, entries: 2, tagMarks: 1, clearMarks: 0 },
        { path: `${ns}@1/users`, entries: 1, tagMarks: 0, clearMarks: 0 },
        { path: `${ns}@2`, entries: 1, tagMarks: 0, clearMarks: 0 },
      ]);
      expect(data.bus).toEqual({ channel: `bus:${ns}`, listeners: 1 });
      expect(data.redis.version).toMatch(/^\d+\.\d+/);
      expect(data.redis.usedMemory).toBeGreaterThan(0);
      const text = await cachette('stats', ...v1.flags);
      expect(text.out).toContain(`${ns}@1/users`);
      expect(text.out).toContain('1 process listening');
    });

    it('an unknown namespace is not found (exit 2)', async () => {
      const run = await cachette('stats', '--redis', url, '--namespace', fresh('none'));
      expect(run.code).toBe(2);
      expect(run.err).toContain('has no keys');
    });
  });

  describe('clear', () => {
    it('drops the namespace from Redis and from every process memory, and nothing else', async () => {
      const ns = fresh('clear');
      const { cache, flags } = await app(ns);
      const neighbour = createCache({ namespace: `${ns}x`, tiers: [{ store: redisStore({ url }) }] });
      opened.push(neighbour);
      await cache.set('a', 1);
      await cache.namespace('users').set('b', 2);
      await neighbour.set('a', 'kept');

      const run = await cachette('clear', ...flags, '--json');

      expect(run.code).toBe(0);
      expect(run.json()).toMatchObject({ ok: true, namespace: `${ns}@1`, listeners: 1 });
      await eventually(() => cache.peek('a') === undefined);
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.namespace('users').get('b')).toBeUndefined();
      expect(await admin.keys(`${ns}@1/*k:*`)).toEqual([]);
      expect(await neighbour.get('a')).toBe('kept');
    });

    it('a child namespace alone', async () => {
      const ns = fresh('child');
      const { cache, flags } = await app(ns);
      await cache.set('a', 1);
      await cache.namespace('users').set('b', 2);
      const run = await cachette('clear', ...flags.slice(0, 2), '--namespace', `${ns}/users`, '--channel', `bus:${ns}`);
      expect(run.code).toBe(0);
      await eventually(() => cache.namespace('users').peek('b') === undefined);
      expect(await cache.get('a')).toBe(1);
    });

    it('needs --namespace, and a namespace that exists', async () => {
      const needs = await cachette('clear', '--redis', url);
      expect(needs.code).toBe(1);
      expect(needs.err).toContain('clear needs --namespace');
      const missing = await cachette('clear', '--redis', url, '--namespace', fresh('none'), '--json');
      expect(missing.code).toBe(2);
      expect(missing.json()).toMatchObject({ error: { code: 'E_NOT_FOUND' } });
    });
  });

  describe('bump-version', () => {
    it('retires every entry of the version at once in every process, leaving Redis to expire the keys', async () => {
      const ns = fresh('bump');
      const { cache, flags } = await app(ns);
      await cache.set('a', 1);
      await cache.set('b', 2);
      const reader = createCache({ namespace: ns, tiers: [{ store: redisStore({ url }) }] });
      opened.push(reader);

      const run = await cachette('bump-version', ...flags, '--json');

      expect(run.code).toBe(0);
      expect(run.json()).toMatchObject({ ok: true, namespace: `${ns}@1`, retiredVersion: 1, nextVersion: 2, keysLeft: 2, listeners: 1 });
      await eventually(() => cache.peek('a') === undefined && cache.peek('b') === undefined);
      expect(await reader.get('a')).toBeUndefined();
      expect(await admin.keys(`${ns}@1/k:*`)).toHaveLength(2);
      // the application goes on: what it writes now is served
      await new Promise((resolve) => setTimeout(resolve, 2)); // a new entry must be made after the mark's millisecond
      await cache.set('a', 3);
      expect(await reader.get('a')).toBe(3);
    });
  });
});
