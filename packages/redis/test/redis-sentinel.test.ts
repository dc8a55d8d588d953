import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisLock } from '../src/index.js';
import { eventually, Fleet, loaderRunsFor, resyncAfterCut, underLoad } from './fleet.js';
import { have, killSubscribers, SENTINEL, Servers, sentinelMaster, startSentinels } from './helpers/servers.js';

const connection = {
  sentinel: { name: SENTINEL.name, sentinelRootNodes: SENTINEL.sentinels.map((port) => ({ host: '127.0.0.1', port })) },
};

describe.skipIf(!have('redis-server') || !have('redis-sentinel'))('Redis Sentinel: master + replica + 3 sentinels', () => {
  const servers = new Servers();
  const fleet = new Fleet(connection);
  beforeAll(() => startSentinels(servers), 60_000);
  afterEach(() => fleet.close());
  afterAll(() => servers.stop());

  it('serves the shared tier, the bus and the lock through the master the sentinels name', async () => {
    const ns = `s${randomUUID().slice(0, 8)}`;
    const [a, b] = [fleet.node(ns), fleet.node(ns)];
    await fleet.ready();
    await a.set('k', 'v1', { tags: ['t'] });
    expect(await b.get('k')).toBe('v1');
    await a.set('k', 'v2');
    await eventually(() => b.peek('k') === undefined);
    expect(await b.get('k')).toBe('v2');
    await a.clear();
    const reader = fleet.node(ns, { memory: false });
    const locked = [fleet.node(`${ns}l`, { lock: true }), fleet.node(`${ns}l`, { lock: true })];
    await fleet.ready();
    expect(await reader.get('k')).toBeUndefined();
    expect(await loaderRunsFor(locked)).toBe(1);
  }, 60_000);

  it('a bus whose subscription is cut drops what memory holds once it is subscribed again', async () => {
    const dropped = await resyncAfterCut(fleet, `r${randomUUID().slice(0, 8)}`, () => killSubscribers([sentinelMaster()]));
    console.info(`[sentinel bus] subscription cut: memory dropped ${dropped.toFixed(0)} ms after`);
  });

  it('a failover (master killed): requests keep being answered, and the new master is in use after', async () => {
    const ns = `f${randomUUID().slice(0, 8)}`;
    const [a, b] = [fleet.node(ns), fleet.node(ns)];
    const reader = fleet.node(ns, { memory: false });
    await fleet.ready(); // stores, locks and the buses' subscriptions
    const before = sentinelMaster();
    const started = Date.now();
    let switchedAt = 0;
    const load = await underLoad(a, async () => {
      servers.kill(before);
      await eventually(() => sentinelMaster() !== before, 30_000);
      switchedAt = Date.now();
    });
    const failedOverAfter = switchedAt - started;
    expect(sentinelMaster()).toBe(before === SENTINEL.master ? SENTINEL.replica : SENTINEL.master);
    expect(load.thrown).toBe(0);
    let back = 0;
    await eventually(async () => {
      await a.set(`back${back}`, back);
      return (await reader.get(`back${back++}`)) === back - 1;
    }, 20_000);
    const backAfter = Date.now() - started;
    // the bound: the shared tier in use again within 2 s of the sentinels naming the new master
    expect(Date.now() - switchedAt).toBeLessThan(2_000);
    await b.get('back0');
    await a.set('back0', 'new');
    await eventually(() => b.peek('back0') === undefined);
    const lock = redisLock(connection);
    const release = await lock.acquire(`${ns}:held`, { ttl: 5_000, wait: 1_000 });
    expect(release).toBeTypeOf('function');
    await release?.();
    await lock.disconnect();
    console.info(
      `[sentinel failover] ${load.requests} requests, ${load.thrown} thrown, new master after ${failedOverAfter} ms, store in use after ${backAfter} ms`,
    );
  }, 60_000);
});
