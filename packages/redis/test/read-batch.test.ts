import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { createCache, manualClock } from '@cachette/core';
import { redisStore } from '@cachette/redis';
import { createClient } from '@redis/client';
import { afterEach, describe, expect, it } from 'vitest';

const REDIS_URL = process.env.REDIS_URL;

/**
 * A real TCP hop between the store and a real Redis: it counts the `GET`s and `MGET`s the
 * client writes, and can cut the connection (Redis gone) when a command comes through.
 */
async function proxy(target: URL) {
  const seen = { get: 0, mget: 0 };
  const sockets = new Set<Socket>();
  let cutOn: 'MGET' | undefined;
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      seen.get += text.split('\r\nGET\r\n').length - 1;
      seen.mget += text.split('\r\nMGET\r\n').length - 1;
      if (cutOn !== undefined && text.includes(`\r\n${cutOn}\r\n`)) {
        cutOn = undefined;
        for (const socket of sockets) socket.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    seen,
    cutOnNext(command: 'MGET') {
      cutOn = command;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.skipIf(!REDIS_URL)('redisStore: reads of one tick go to Redis as one MGET (issue 7)', () => {
  const closing: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (closing.length > 0) await closing.pop()?.();
  });

  async function setup() {
    const hop = await proxy(new URL(REDIS_URL as string));
    const namespace = `batch${process.pid}x${Math.random().toString(36).slice(2, 8)}`;
    // a clock that stands still: the namespace's clear mark, read once, is trusted for the whole test
    const clock = manualClock(Date.now());
    const cache = createCache({ clock, namespace, ttl: '1h', tiers: [{ store: redisStore({ url: hop.url }) }] });
    const admin = createClient({ url: REDIS_URL as string });
    await admin.connect();
    closing.push(
      () => hop.close(),
      async () => {
        await cache.clear();
        await cache.disconnect();
      },
      () => admin.close(),
    );
    const errors: string[] = [];
    cache.on('error', ({ error, operation }) => errors.push(`${operation}:${(error as { code?: string }).code}`));
    // marks are read with the first entry found: read one now, so that only entries are counted
    await cache.set('warm-up', 0);
    await cache.get('warm-up');
    return { hop, cache, admin, errors, namespace };
  }

  it('answers each caller with its own key, a missing and a corrupt one included, in one MGET', async () => {
    const { hop, cache, admin, errors, namespace } = await setup();
    await cache.set('a', { n: 'a', body: 'α'.repeat(600) });
    await cache.set('b', { n: 'b' });
    await cache.set('c', 'c');
    await admin.set(`${namespace}@1/k:corrupt`, '{"v": not json');
    const before = { ...hop.seen };
    const reads = await Promise.all(['c', 'missing', 'a', 'corrupt', 'b', 'a'].map((key) => cache.get(key)));
    expect(reads).toEqual(['c', undefined, { n: 'a', body: 'α'.repeat(600) }, undefined, { n: 'b' }, { n: 'a', body: 'α'.repeat(600) }]);
    expect(hop.seen.mget - before.mget).toBe(1);
    expect(hop.seen.get - before.get).toBe(0);
    // the corrupt value is reported as its own read's failure, and the others are hits
    expect(errors).toEqual(['get:E_STORE_ERROR']);
    expect(cache.stats()).toMatchObject({ hits: 5, misses: 2 }); // the warm-up read was a hit too
  });

  it('sends a lone read as a plain GET', async () => {
    const { hop, cache } = await setup();
    await cache.set('alone', 1);
    const before = { ...hop.seen };
    expect(await cache.get('alone')).toBe(1);
    expect(hop.seen.get - before.get).toBe(1);
    expect(hop.seen.mget - before.mget).toBe(0);
  });

  it('fails every read of a batch whose connection dies, each reported, then reads again once Redis is back', async () => {
    const { hop, cache, errors } = await setup();
    await cache.set('x', 'x');
    await cache.set('y', 'y');
    hop.cutOnNext('MGET');
    const reads = await Promise.all(['x', 'y', 'z'].map((key) => cache.get(key)));
    expect(reads).toEqual([undefined, undefined, undefined]);
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e === 'get:E_STORE_ERROR')).toBe(true);
    await expect.poll(async () => cache.get('x'), { timeout: 10_000 }).toBe('x');
    expect(await Promise.all(['y', 'x'].map((key) => cache.get(key)))).toEqual(['y', 'x']);
  });
});
