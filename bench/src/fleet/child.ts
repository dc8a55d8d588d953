import { type BusMessage, type CacheBus, createCache, memoryStore, type TierOptions } from '@cachette/core';
import { redisBus, redisLock, redisStore } from '@cachette/redis';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import { type Reply, type Task, wallNow } from './protocol.js';
import { zipfSampler } from './zipf.js';

/**
 * One process of the fleet bench. It takes a task from the parent, connects, answers `ready`,
 * waits for `go` (so that every process starts at once), runs it and answers `done`.
 */
const url = process.env.REDIS_URL as string;
const send = (reply: Reply) => process.send?.(reply);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const go = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

process.on('message', function onTask(task: Task) {
  process.off('message', onTask);
  run(task).then(
    (reply) => {
      send(reply);
      process.on('message', onTask);
    },
    (error: unknown) => send({ type: 'failed', error: String((error as Error)?.stack ?? error) }),
  );
});

async function run(task: Task): Promise<Reply> {
  if (task.kind === 'stampede' && task.variant === 'bentocache') return bentoStampede(task);
  if ((task.kind === 'bus-send' || task.kind === 'bus-receive') && task.variant === 'bentocache') return bentoBus(task);
  const { withRedis, withBus, withLock } = parts(task);
  const store = withRedis ? redisStore({ url }) : undefined;
  const lock = withLock ? redisLock({ url }) : undefined;
  const receivedAt: number[] = [];
  const bus = withBus ? timedBus(redisBus({ url, channel: `bench:${task.namespace}` }), receivedAt) : undefined;
  const tiers: TierOptions[] = [{ store: memoryStore({ maxEntries: task.kind === 'zipf' ? task.maxEntries : 10_000 }), ttl: '10m' }];
  if (store) tiers.push({ store, ttl: '10m' });
  const cache = createCache({ namespace: task.namespace, tiers, bus, lock, lockTimeout: '5s' });
  // connect before the start line: a first command waits for the connection
  await store?.get('bench:warm-up');
  await (await lock?.acquire(`bench:warm-up:${process.pid}`, { ttl: 1_000, wait: 5_000 }))?.();
  await sleep(200); // the bus subscription
  send({ type: 'ready' });
  await go();
  try {
    if (task.kind === 'stampede') {
      let loaderCalls = 0;
      const loader = async () => {
        loaderCalls++;
        await sleep(task.delayMs);
        return { at: Date.now() };
      };
      const answers = await Promise.all(Array.from({ length: task.callers }, () => cache.getOrSet('cold', loader)));
      return { type: 'done', loaderCalls, answered: answers.filter(Boolean).length };
    }
    if (task.kind === 'bus-send') {
      const sentAt: number[] = [];
      for (let i = 0; i < task.messages; i++) {
        sentAt.push(wallNow());
        await cache.delete(`k${i}`);
        await sleep(task.gapMs);
      }
      return { type: 'done', sentAt };
    }
    if (task.kind === 'bus-receive') {
      while (arrived(receivedAt) < task.messages) await sleep(20);
      return { type: 'done', receivedAt };
    }
    return await zipf(task, (key, load) => cache.getOrSet(key, load));
  } finally {
    await cache.disconnect();
    await lock?.disconnect();
  }
}

/** Which parts of the fleet a task runs with. */
function parts(task: Task): { withRedis: boolean; withBus: boolean; withLock: boolean } {
  if (task.kind !== 'zipf')
    return { withRedis: true, withBus: true, withLock: task.kind === 'stampede' && task.variant === 'cachette+lock' };
  return { withRedis: task.variant !== 'memory', withBus: task.variant.includes('bus'), withLock: task.variant.includes('lock') };
}

/** Notes when the delete of the bench's key `k<i>` reached this process: at index i (first arrival). */
function noteArrival(receivedAt: number[], keys: readonly string[] | undefined): void {
  const now = wallNow();
  for (const key of keys ?? []) {
    const i = Number(/(?:^|[^\w])k(\d+)$/.exec(key)?.[1] ?? Number.NaN);
    if (Number.isInteger(i) && receivedAt[i] === undefined) receivedAt[i] = now;
  }
}

/** How many of the deletes `k0`…`k<n-1>` have arrived. */
const arrived = (receivedAt: number[]) => receivedAt.filter((at) => at !== undefined).length;

/** The bus, noting when each delete reached this process's cache. */
function timedBus(bus: CacheBus, receivedAt: number[]): CacheBus {
  return {
    publish: (message) => bus.publish(message),
    subscribe: (handler) =>
      bus.subscribe((message: BusMessage) => {
        handler(message);
        if (message.type === 'delete') noteArrival(receivedAt, message.keys);
      }),
    disconnect: () => bus.disconnect?.() ?? Promise.resolve(),
  };
}

async function zipf(
  task: Extract<Task, { kind: 'zipf' }>,
  getOrSet: (key: string, load: () => Promise<unknown>) => Promise<unknown>,
): Promise<Reply> {
  const next = zipfSampler(task.urls, 1.0, task.seed);
  let loaderCalls = 0;
  let left = task.requests;
  const worker = async () => {
    while (left-- > 0) {
      const url = `/page/${next()}`;
      await getOrSet(url, async () => {
        loaderCalls++;
        await sleep(task.delayMs);
        return { url };
      });
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, worker));
  return { type: 'done', loaderCalls };
}

/** bentocache: memory L1 + Redis L2 (+ its Redis bus when asked), connected and warmed up like cachette's. */
async function bento(namespace: string, withBus: boolean) {
  const connection = new Redis(url);
  const { hostname, port } = new URL(url);
  let store = bentostore()
    .useL1Layer(memoryDriver({ maxItems: 10_000 }))
    .useL2Layer(redisDriver({ connection }));
  if (withBus) store = store.useBus(redisBusDriver({ connection: { host: hostname, port: Number(port || 6379) } }));
  const cache = new BentoCache({ default: 'cache', ttl: '10m', prefix: namespace, stores: { cache: store } });
  await connection.ping();
  // its first getOrSet pays for lazy set-up: not at the start line (cachette's first store call is made before too)
  await cache.getOrSet({ key: `bench:warm-up:${process.pid}`, factory: () => 1 });
  const close = async () => {
    await cache.disconnectAll();
    connection.disconnect();
  };
  return { cache, close };
}

/** bentocache's bus: one process deletes, the other notes each `bus:message:received`. */
async function bentoBus(task: Extract<Task, { kind: 'bus-send' | 'bus-receive' }>): Promise<Reply> {
  const { cache, close } = await bento(task.namespace, true);
  const receivedAt: number[] = [];
  cache.on('bus:message:received', ({ message }) => noteArrival(receivedAt, message.keys));
  await sleep(200); // the bus subscription
  send({ type: 'ready' });
  await go();
  try {
    if (task.kind === 'bus-receive') {
      while (arrived(receivedAt) < task.messages) await sleep(20);
      return { type: 'done', receivedAt };
    }
    const sentAt: number[] = [];
    for (let i = 0; i < task.messages; i++) {
      sentAt.push(wallNow());
      await cache.delete({ key: `k${i}` });
      await sleep(task.gapMs);
    }
    return { type: 'done', sentAt };
  } finally {
    await close();
  }
}

/** bentocache: memory L1 + Redis L2, its own single flight; it has no lock across processes. */
async function bentoStampede(task: Extract<Task, { kind: 'stampede' }>): Promise<Reply> {
  const { cache: bentoCache, close } = await bento(task.namespace, false);
  send({ type: 'ready' });
  await go();
  let loaderCalls = 0;
  const factory = async () => {
    loaderCalls++;
    await sleep(task.delayMs);
    return { at: Date.now() };
  };
  try {
    const answers = await Promise.all(Array.from({ length: task.callers }, () => bentoCache.getOrSet({ key: 'cold', factory })));
    return { type: 'done', loaderCalls, answered: answers.filter(Boolean).length };
  } finally {
    await close();
  }
}
