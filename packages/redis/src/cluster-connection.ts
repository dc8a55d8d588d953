import { createCluster } from '@redis/client';
import calculateSlot from 'cluster-key-slot';
import { BYTES_OPTIONS, type Connection, type RedisCommands, reconnectStrategy, retryingReady, type SetOptions } from './connection.js';
import type { RedisClusterOptionsInput } from './connection-options.js';

/**
 * The Redis key of a cache key on a cluster. Tag marks (`<path>/t:<tag>`) and clear marks
 * (`<path>/c:`) of one root namespace get the hash tag `{<ns>@<version>}`, so that every mark an
 * entry is judged by lives in one slot and is read with one `MGET`. Entry keys keep their own
 * slot, which spreads them over the masters. The prefix `<path>/` is kept, so `SCAN` by a
 * namespace's prefix still finds its marks. Other keys (locks, entries) pass unchanged.
 */
export function clusterKey(key: string): string {
  const colon = key.indexOf(':');
  if (colon < 2 || key[colon - 2] !== '/' || (key[colon - 1] !== 't' && key[colon - 1] !== 'c')) return key;
  const path = key.slice(0, colon - 2);
  // namespace paths hold no `{`, `}` or `:`; the first `{` of the key is ours
  if (/[{}]/.test(path)) return key;
  const slash = path.indexOf('/');
  const root = slash === -1 ? path : path.slice(0, slash);
  return `${key.slice(0, colon + 1)}{${root}}${key.slice(colon + 1)}`;
}

/** Groups keys by hash slot, since a multi-key command must stay in one slot on a cluster. */
function bySlot(keys: readonly string[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const [i, key] of keys.entries()) {
    const slot = calculateSlot(key);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  }
  return groups;
}

type Cluster = ReturnType<typeof createCluster>;
interface Slots {
  rediscover(startWith: { options?: unknown }): Promise<void>;
}

/**
 * node-redis reloads the slot map on a `MOVED` reply only, and a master that died sends none:
 * its slots would stay mapped to a node that keeps refusing connections after its replica was
 * promoted. So whenever a node errors or reconnects, or a command fails (a node client that
 * never connected is closed and sends no more events), reload the map, at most twice a second.
 */
function followFailovers(cluster: Cluster, options: RedisClusterOptionsInput, connected: () => boolean): () => void {
  const self = cluster as unknown as { _self?: { _slots?: Slots }; _slots?: Slots };
  const slots = self._self?._slots ?? self._slots;
  if (typeof slots?.rediscover !== 'function') return () => undefined;
  let last = 0;
  const rediscover = () => {
    const now = Date.now();
    if (!connected() || !cluster.isOpen || now - last < 500) return;
    last = now;
    const live = cluster.masters.find((master) => master.client?.isReady)?.client;
    slots.rediscover(live ?? { options: options.rootNodes[0] }).catch(() => undefined);
  };
  cluster.on('node-error', rediscover);
  cluster.on('node-reconnecting', rediscover);
  return rediscover;
}

type Subscriber = NonNullable<Cluster['pubSubNode']>;

/**
 * Calls `onGap` each time the cluster's subscriber connection is subscribed again after it may
 * have missed messages, from node-redis's own signals: the same connection says `ready` after a
 * reconnect (it subscribes again before that), and a new one (node-redis moves it off a node that
 * left the slot map) has subscribed once its `connectPromise` settles. If node-redis dropped the
 * subscriber altogether (the new connection failed), `resubscribe` makes it again. Checked on
 * every node event; returns the stop.
 */
function followSubscriber(cluster: Cluster, resubscribe: () => Promise<unknown>, onGap: () => void): () => void {
  let current: Subscriber['client'] | undefined = cluster.pubSubNode?.client;
  let resubscribing = false;
  const reconnected = () => onGap();
  current?.on('ready', reconnected);
  const check = () => {
    const node = cluster.pubSubNode;
    if (node?.client === current) return;
    current?.off('ready', reconnected);
    current = node?.client;
    current?.on('ready', reconnected);
    if (node) {
      (node.connectPromise ?? Promise.resolve()).then(
        () => onGap(),
        () => undefined,
      );
    } else if (!resubscribing && cluster.isOpen) {
      resubscribing = true;
      resubscribe().then(
        () => {
          resubscribing = false;
          check();
        },
        () => {
          resubscribing = false;
        },
      );
    }
  };
  const events = ['node-ready', 'node-error', 'node-reconnecting'] as const;
  for (const event of events) cluster.on(event, check);
  return () => {
    for (const event of events) cluster.off(event, check);
    current?.off('ready', reconnected);
  };
}

/** A Redis Cluster through node-redis `createCluster`; multi-key commands are split by slot. */
export function clusterConnection(options: RedisClusterOptionsInput): Connection {
  const cluster = createCluster({
    // connect to a node on its first command: discovery never waits on a master that is down
    minimizeConnections: true,
    ...options,
    // fail at once while a node is away, so the cache's breaker takes over
    defaults: { disableOfflineQueue: true, socket: { reconnectStrategy }, ...options.defaults },
  });
  cluster.on('error', () => undefined);
  let connected = false;
  const rediscover = followFailovers(cluster, options, () => connected);
  const guard = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      rediscover();
      throw error;
    });
  const perSlot = async (keys: string[], run: (group: string[]) => Promise<number>): Promise<number> => {
    const counts = await Promise.all([...bySlot(keys).values()].map((group) => run(group.map((i) => keys[i] as string))));
    return counts.reduce((a, b) => a + b, 0);
  };
  const client: RedisCommands = {
    get isReady() {
      return connected && cluster.isOpen;
    },
    get: (key) => guard(cluster.get(clusterKey(key))),
    getBytes: (key) => {
      const mapped = clusterKey(key);
      return guard(cluster.sendCommand(mapped, true, ['GET', mapped], BYTES_OPTIONS) as Promise<Buffer | null>);
    },
    set: (key, value, setOptions: SetOptions) => guard(cluster.set(clusterKey(key), value, setOptions)),
    del: (keys) => perSlot((Array.isArray(keys) ? keys : [keys]).map(clusterKey), (group) => guard(cluster.del(group))),
    unlink: (keys) => perSlot(keys.map(clusterKey), (group) => guard(cluster.unlink(group))),
    async mGet(keys) {
      const mapped = keys.map(clusterKey);
      const values = new Array<string | null>(keys.length).fill(null);
      await Promise.all(
        [...bySlot(mapped).values()].map(async (group) => {
          const texts = await guard(cluster.mGet(group.map((i) => mapped[i] as string)));
          for (const [j, i] of group.entries()) values[i] = texts[j] ?? null;
        }),
      );
      return values;
    },
    publish: (channel, message) => guard(cluster.publish(channel, message)),
    eval: (script, evalOptions) => guard(cluster.eval(script, { ...evalOptions, keys: evalOptions.keys.map(clusterKey) })),
  };
  let closed = false;
  const connecting = retryingReady(
    () =>
      cluster.connect().then(() => {
        connected = true;
        return client;
      }),
    () => closed,
  );
  return {
    client,
    owned: true,
    get ready() {
      return connecting.current;
    },
    onReady: (listener) => void cluster.on('node-ready', listener),
    async unlinkMatching(match) {
      await connecting.current;
      for (const master of cluster.masters) {
        const node = await cluster.nodeClient(master);
        for await (const keys of node.scanIterator({ MATCH: match, COUNT: 500 })) {
          // keys already hold their cluster form: unlink them as they are, slot by slot
          await Promise.all([...bySlot(keys).values()].map((group) => node.unlink(group.map((i) => keys[i] as string))));
        }
      }
    },
    async subscribe(channel, listener, onGap) {
      await connecting.current;
      const onMessage = (message: string | Buffer) => listener(String(message));
      await cluster.subscribe(channel, onMessage);
      const stop = onGap ? followSubscriber(cluster, () => cluster.subscribe(channel, onMessage), onGap) : () => undefined;
      return async () => {
        stop();
        await cluster.unsubscribe(channel, onMessage).catch(() => undefined);
      };
    },
    close: async () => {
      closed = true;
      connected = false;
      if (cluster.isOpen) await cluster.close().catch(() => cluster.destroy());
    },
  };
}
