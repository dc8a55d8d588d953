import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterKey } from '../src/cluster-connection.js';
import { redisLock, redisStore } from '../src/index.js';
import { eventually, Fleet, loaderRunsFor, resyncAfterCut, underLoad } from './fleet.js';
import { markMergeSuite } from './helpers/mark-merge.js';
import { CLUSTER_PORTS, have, killSubscribers, mastersBySubscribers, promotedWithout, Servers, startCluster } from './helpers/servers.js';

const connection = { cluster: { rootNodes: CLUSTER_PORTS.slice(0, 3).map((port) => ({ url: `redis://127.0.0.1:${port}` })) } };
const keySlot = (port: number, key: string) =>
  Number(execFileSync('redis-cli', ['-p', String(port), 'cluster', 'keyslot', key], { encoding: 'utf8' }).trim());

describe('clusterKey', () => {
  it('puts the tag and clear marks of one root namespace in one slot, and leaves other keys alone', () => {
    expect(clusterKey('shop@1/t:product:1')).toBe('shop@1/t:{shop@1}product:1');
    expect(clusterKey('shop@1/users/c:')).toBe('shop@1/users/c:{shop@1}');
    expect(clusterKey('shop@1/k:a/t:b')).toBe('shop@1/k:a/t:b');
    expect(clusterKey('cachette:lock:shop@1/k:x')).toBe('cachette:lock:shop@1/k:x');
  });
});

describe.skipIf(!have('redis-server') || !have('redis-cli'))('Redis Cluster: 3 masters + 3 replicas', () => {
  const servers = new Servers();
  const fleet = new Fleet(connection);
  // made while the cluster is down: it must be used once the cluster comes up
  const early = redisStore(connection);
  let earlyFailure: unknown;
  beforeAll(async () => {
    earlyFailure = await Promise.resolve(early.get('x')).catch((error: unknown) => error);
    startCluster(servers);
  }, 60_000);
  afterEach(() => fleet.close());
  afterAll(() => servers.stop());

  describe('tag marks merge, in their hash-tagged slot', () => markMergeSuite(() => connection));

  it('keeps entries over every master, reads and deletes batches across slots, and clears one namespace only', async () => {
    const ns = `c${randomUUID().slice(0, 8)}`;
    const other = `o${randomUUID().slice(0, 8)}`;
    const [a, b] = [fleet.node(ns, { memory: false }), fleet.node(other, { memory: false })];
    await fleet.ready();
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    await a.setMany(keys.map((key, i) => ({ key, value: i })));
    await b.set('kept', 'yes');
    expect(await a.getMany(keys)).toEqual(keys.map((_, i) => i));
    expect(new Set(keys.map((k) => keySlot(CLUSTER_PORTS[0] as number, `${ns}@1/k:${k}`))).size).toBeGreaterThan(10);
    await a.deleteMany(['k0', 'k1']);
    expect(await a.getMany(['k0', 'k1', 'k2'])).toEqual([undefined, undefined, 2]);
    await a.clear();
    expect(await a.getMany(keys)).toEqual(keys.map(() => undefined));
    expect(await b.get('kept')).toBe('yes');
  });

  it('tags and clear marks live in one slot, and a tag purge in one process reaches the others', async () => {
    const ns = `t${randomUUID().slice(0, 8)}`;
    expect(keySlot(CLUSTER_PORTS[0] as number, clusterKey(`${ns}@1/t:product:1`))).toBe(
      keySlot(CLUSTER_PORTS[0] as number, clusterKey(`${ns}@1/c:`)),
    );
    const [a, b] = [fleet.node(ns), fleet.node(ns)];
    await fleet.ready();
    await a.set('p', 1, { tags: ['product:1', 'shelf:2'] });
    expect(await b.get('p')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await a.deleteByTag('shelf:2');
    await eventually(() => b.peek('p') === undefined);
    // the mark in Redis, or the one heard on the bus, keeps the shared copy from coming back
    await eventually(async () => (await b.get('p')) === undefined, 5_000);
    const late = fleet.node(ns);
    await fleet.ready();
    expect(await late.get('p')).toBeUndefined();
  });

  it('a bus whose subscription is cut drops what memory holds once node-redis has subscribed it again', async () => {
    const dropped = await resyncAfterCut(fleet, `r${randomUUID().slice(0, 8)}`, () => killSubscribers(CLUSTER_PORTS));
    console.info(`[cluster bus] subscription cut: memory dropped ${dropped.toFixed(0)} ms after`);
  });

  it('with the lock, one loader runs across processes', async () => {
    const ns = `l${randomUUID().slice(0, 8)}`;
    const nodes = [fleet.node(ns, { lock: true }), fleet.node(ns, { lock: true }), fleet.node(ns, { lock: true })];
    expect(await loaderRunsFor(nodes)).toBe(1);
  });

  it('a store made while the cluster was down connects once it is up', async () => {
    expect(earlyFailure).toBeInstanceOf(Error);
    await eventually(async () => {
      await Promise.resolve(early.set('early@1/k:x', 'up', 10_000)).catch(() => undefined);
      return (await Promise.resolve(early.get('early@1/k:x')).catch(() => undefined)) === 'up';
    }, 10_000);
    await early.disconnect?.();
  });

  it('a master killed: requests keep being answered, and once its replica is promoted the store, bus and lock are in use again', async () => {
    const ns = `f${randomUUID().slice(0, 8)}`;
    const [a, b] = [fleet.node(ns), fleet.node(ns)];
    const lock = redisLock(connection);
    const store = redisStore(connection);
    const reader = fleet.node(ns, { memory: false });
    const other = redisStore(connection);
    await fleet.ready(); // stores, locks and the buses' subscriptions
    // the master the bus subscribed on, so that the bus too must move to another node
    const victim = mastersBySubscribers(CLUSTER_PORTS[1] as number)[0] as number;
    const witness = CLUSTER_PORTS.find((port) => port !== victim) as number;
    const started = Date.now();
    const load = await underLoad(a, async () => {
      servers.kill(victim);
      await eventually(() => promotedWithout(witness, victim), 30_000);
    });
    const promotedAfter = Date.now() - started;
    expect(load.thrown).toBe(0);
    expect(load.requests).toBeGreaterThan(0);
    // back in use: a write through one process's store is read by another's, on every slot
    let back = 0;
    await eventually(async () => {
      const key = `${ns}@1/k:back${back++}`;
      // the raw store may fail while the slot map moves (the cache turns that into a miss)
      await store.set(key, 'here', 10_000).catch(() => undefined);
      return (await other.get(key)?.catch(() => undefined)) === 'here';
    }, 20_000);
    // every process's own connection follows the new map after its first failure on the old one
    for (let i = 0; i < 20; i++) {
      await eventually(async () => {
        await a.set(`after${i}`, i);
        return (await reader.get(`after${i}`)) === i;
      }, 10_000);
    }
    const backAfter = Date.now() - started;
    // the bus: a publish that met the old map is lost (bus messages are not retried); the next arrives
    await b.get('after0');
    let version = 0;
    await eventually(async () => {
      await a.set('after0', `new${version++}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return b.peek('after0') === undefined;
    }, 10_000);
    // the lock's own connection, idle through the failover, follows the new map after one failure
    let release: (() => Promise<void>) | undefined;
    await eventually(async () => {
      release = await lock.acquire(`${ns}:held`, { ttl: 5_000, wait: 1_000 }).catch(() => undefined);
      return release !== undefined;
    }, 10_000);
    await release?.();
    await lock.disconnect();
    await store.disconnect?.();
    await other.disconnect?.();
    console.info(
      `[cluster failover] ${load.requests} requests, ${load.thrown} thrown, replica promoted after ${promotedAfter} ms, every process's store in use after ${backAfter} ms`,
    );
  }, 60_000);
});
