import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type BusMessage, type Cache, type CacheBus, createCache, manualClock, memoryStore } from '@cachette/core';
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

  it('a bus that missed messages has the marks it knows read from Redis again, even within the second they are trusted', async () => {
    const ns = `gap${randomUUID().slice(0, 8)}`;
    const a = node(ns);
    // B's clock stands still: a mark it read is trusted for the next second, so only a resync makes it read again
    const clock = manualClock(Date.now());
    let lost = false;
    const dropped: BusMessage[] = [];
    let gap: (message: BusMessage) => void = () => undefined;
    const real = redisBus({ url, channel: `bus:${ns}` });
    // the real bus, losing messages on demand (injected failure), as a subscription being made again does
    const lossy: CacheBus = {
      publish: (message) => real.publish(message),
      subscribe: (handler) => {
        gap = handler;
        return real.subscribe((message) => (lost ? dropped.push(message) : handler(message)));
      },
      disconnect: () => real.disconnect(),
    };
    const b = createCache({
      namespace: ns,
      clock,
      tiers: [{ store: memoryStore(), ttl: '1m' }, { store: redisStore({ url }) }],
      bus: subscribedBus(lossy, subscribed),
    });
    open.push(b);
    await Promise.all(subscribed.splice(0));
    await a.set('p', 'old', { tags: ['t'] });
    expect(await b.get('p')).toBe('old'); // B has read the mark of 't': none
    lost = true;
    await a.deleteByTag('t'); // B misses it; the mark is in Redis
    await eventually(() => dropped.length === 1);
    lost = false;
    gap({ type: 'resync' }); // what the real bus hands over once subscribed again
    expect(b.peek('p')).toBeUndefined();
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

  it('a process that read the old value from Redis before such a purge landed drops it once it lands', async () => {
    const ns = `late${randomUUID().slice(0, 8)}`;
    const storeClient = await namedClient(`store-${ns}`);
    const a = createCache({
      namespace: ns,
      tiers: [{ store: memoryStore(), ttl: '1m' }, { store: redisStore({ client: storeClient }) }],
      bus: subscribedBus(redisBus({ url, channel: `bus:${ns}` }), subscribed),
      circuitBreaker: { failures: 1, duration: '1m' },
    });
    open.push(a);
    await a.set('p', 'old', { tags: ['t'] });
    await a.set('q', 'old');
    await storeClient.close();
    await a.deleteByTag('t');
    await a.delete('q');
    // a process that heard neither message (started meanwhile, or its subscription was being made
    // again): Redis still holds the old values, and it keeps them in its memory
    const late = node(ns);
    await Promise.all(subscribed.splice(0));
    expect(await late.get('p')).toBe('old');
    expect(await late.get('q')).toBe('old');
    expect(late.peek('p')).toBe('old');

    const back = performance.now();
    await storeClient.connect();
    await eventually(() => late.peek('p') === undefined && late.peek('q') === undefined, 5_000);
    console.info(
      `[store outage] a purge made while away reached a process that read the old values ${(performance.now() - back).toFixed(0)} ms after`,
    );
    expect(await late.get('p')).toBeUndefined();
    expect(await late.get('q')).toBeUndefined();
  });
});
