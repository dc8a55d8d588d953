import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type Cache, createCache, memoryStore } from '@cachette/core';
import { createClient } from '@redis/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type RedisClient, redisBus, redisStore } from '../src/index.js';
import { eventually, subscribedBus } from './fleet.js';

const REDIS_URL = process.env.REDIS_URL;

/**
 * The bus's own connection goes away while Redis stays up for everyone else (a network blip,
 * a killed connection): what it should have carried still reaches the other processes.
 */
describe.skipIf(!REDIS_URL)('a bus whose connection drops', () => {
  const url = REDIS_URL as string;
  const open: Array<{ disconnect(): Promise<void> }> = [];
  /** Each bus's subscription, confirmed by Redis: a message published after it is heard. */
  const subscribed: Array<Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.disconnect()));
  });

  /** One "process": memory over the shared Redis, its bus on `client` (or its own URL connection). */
  function node(ns: string, client?: RedisClient): Cache {
    const cache = createCache({
      namespace: ns,
      tiers: [{ store: memoryStore(), ttl: '1m' }, { store: redisStore({ url }) }],
      bus: subscribedBus(redisBus({ ...(client ? { client } : { url }), channel: `bus:${ns}` }), subscribed),
    });
    open.push(cache);
    return cache;
  }

  /** A client of the test's own, named so the test can find its connections in `CLIENT LIST`. */
  async function namedClient(name: string): Promise<RedisClient> {
    const client = createClient({ url, name, disableOfflineQueue: true }) as unknown as RedisClient;
    client.on('error', () => undefined);
    await client.connect();
    open.push({ disconnect: async () => void (client.isOpen && client.destroy()) });
    return client;
  }

  const redisCli = (...args: string[]) =>
    execFileSync('redis-cli', ['-u', url, ...args], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] });

  /** Kills the server side of the connections named `name` (with `sub=1` only, when `subscribers`). */
  function killConnections(name: string, subscribers: boolean): number {
    const ids = redisCli('client', 'list')
      .split('\n')
      .filter((line) => line.includes(` name=${name} `) && (!subscribers || / sub=[1-9]/.test(line)))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1] as string);
    for (const id of ids) redisCli('client', 'kill', 'id', id);
    return ids.length;
  }

  it('a purge published while its connection is down reaches the other processes once it is back', async () => {
    const ns = `out${randomUUID().slice(0, 8)}`;
    const publisherClient = await namedClient(`pub-${ns}`);
    const [a, b] = [node(ns, publisherClient), node(ns)];
    await Promise.all(subscribed.splice(0));
    await a.set('p', 'old', { tags: ['t'] });
    expect(await b.get('p')).toBe('old');
    expect(b.peek('p')).toBe('old');

    await publisherClient.close(); // A's bus connection is gone; A's store and B are fine
    const errors: string[] = [];
    a.on('error', ({ operation }) => errors.push(operation));
    await a.deleteByTag('t');
    await eventually(() => errors.includes('publish')); // reported: the message waits for the connection
    expect(b.peek('p')).toBe('old');

    const back = performance.now();
    await publisherClient.connect();
    await eventually(() => b.peek('p') === undefined, 5_000);
    console.info(`[bus outage] the queued purge reached the other process ${(performance.now() - back).toFixed(0)} ms after reconnecting`);
    expect(await b.get('p')).toBeUndefined();
  });

  it('a bus that lost its subscription drops what memory holds once it is subscribed again', async () => {
    const ns = `sub${randomUUID().slice(0, 8)}`;
    const subscriberClient = await namedClient(`sub-${ns}`);
    const [a, b] = [node(ns), node(ns, subscriberClient)];
    await Promise.all(subscribed.splice(0));
    await a.set('p', 'old');
    expect(await b.get('p')).toBe('old');
    expect(b.peek('p')).toBe('old');
    // messages published while B was not subscribed are lost to B: it cannot trust its memory
    expect(killConnections(`sub-${ns}`, true)).toBe(1);
    await eventually(() => b.peek('p') === undefined, 5_000);
    // and it is subscribed again: the next purge arrives
    expect(await b.get('p')).toBe('old');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await a.set('p', 'new');
    await eventually(() => b.peek('p') === undefined, 5_000);
    expect(await b.get('p')).toBe('new');
  });

  it('a purge made while the store cannot reach Redis lands there once it is back', async () => {
    const ns = `st${randomUUID().slice(0, 8)}`;
    const storeClient = await namedClient(`store-${ns}`);
    const a = createCache({
      namespace: ns,
      tiers: [{ store: memoryStore(), ttl: '1m' }, { store: redisStore({ client: storeClient }) }],
      circuitBreaker: { failures: 1, duration: '1m' },
    });
    open.push(a);
    const reader = createCache({ namespace: ns, tiers: [{ store: redisStore({ url }) }] });
    open.push(reader);
    await a.set('p', 'old', { tags: ['t'] });
    await a.set('q', 'old');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await storeClient.close();
    await a.deleteByTag('t'); // the mark cannot be written; the breaker opens
    await a.delete('q'); // sent to the store even with the breaker open
    expect(await reader.get('p')).toBe('old');
    expect(await reader.get('q')).toBe('old');
    await storeClient.connect();
    await eventually(async () => (await reader.get('p')) === undefined && (await reader.get('q')) === undefined, 5_000);
  });
});
