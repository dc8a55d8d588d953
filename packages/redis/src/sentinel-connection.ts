import type { RedisSentinelOptions } from '@redis/client';
import { BYTES_OPTIONS, type Connection, type RedisClient, type RedisCommands, retryingReady } from './connection.js';
import { SentinelFollower } from './sentinel-follower.js';

/** How soon a subscription that could not be made on a new master is tried again. */
const RESUBSCRIBE_MS = 250;

const noop = () => undefined;

/**
 * One follower per sentinel options object in a process: `redisStore(s)`, `redisBus({ ...s })` and
 * `redisLock(s)` given the same `s.sentinel` share one master connection, one set of sentinel
 * watchers and one look-up after a failover, instead of three that compete for a busy CPU.
 */
const followers = new WeakMap<RedisSentinelOptions, { follower: SentinelFollower; users: number }>();

function shared(options: RedisSentinelOptions): { follower: SentinelFollower; release(): Promise<void> } {
  let entry = followers.get(options);
  if (!entry) {
    entry = { follower: new SentinelFollower(options), users: 0 };
    followers.set(options, entry);
  }
  entry.users++;
  const taken = entry;
  let released = false;
  return {
    follower: taken.follower,
    release: async () => {
      if (released) return;
      released = true;
      if (--taken.users > 0) return;
      if (followers.get(options) === taken) followers.delete(options);
      await taken.follower.close();
    },
  };
}

/**
 * A master watched by Sentinel (see {@link SentinelFollower}): commands go to the master's
 * client of the moment and fail at once while there is none; the bus's subscription moves with
 * the master, and its gap is announced as soon as it is subscribed again.
 */
export function sentinelConnection(options: RedisSentinelOptions): Connection {
  const { follower, release } = shared(options);
  const listening: Array<() => void> = [];
  const master = (): RedisClient => {
    const client = follower.master;
    if (!client) throw new Error(`[cachette:redis] no master ${JSON.stringify(options.name)} yet`);
    return client;
  };
  // each call on the master of the moment; a missing master is a rejected promise, never a throw
  const on =
    <A extends unknown[], R>(run: (client: RedisClient, ...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      try {
        return run(master(), ...args);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  const client: RedisCommands = {
    get isReady() {
      return follower.master?.isReady ?? false;
    },
    get: on((c, key: string) => c.get(key)),
    getBytes: on((c, key: string) => c.sendCommand(['GET', key], BYTES_OPTIONS) as Promise<Buffer | null>),
    mGetBytes: on((c, keys: string[]) => c.sendCommand(['MGET', ...keys], BYTES_OPTIONS) as Promise<Array<Buffer | null>>),
    set: on((c, key, value, setOptions) => c.set(key, value, setOptions)),
    del: on((c, keys) => c.del(keys)),
    mGet: on((c, keys) => c.mGet(keys)),
    unlink: on((c, keys) => c.unlink(keys)),
    publish: on((c, channel, message) => c.publish(channel, message)),
    eval: on((c, script, evalOptions) => c.eval(script, evalOptions)),
  };
  let closed = false;
  const connecting = retryingReady(
    () => follower.start().then(() => client),
    () => closed,
  );
  return {
    client,
    owned: true,
    get ready() {
      return connecting.current;
    },
    onReady: (listener) => void listening.push(follower.onReady(listener)),
    async unlinkMatching(match) {
      await connecting.current;
      const node = master();
      for await (const keys of node.scanIterator({ MATCH: match, COUNT: 500 })) {
        if (keys.length > 0) await node.unlink(keys);
      }
    },
    async subscribe(channel, listener, onGap) {
      await connecting.current;
      let sub: RedisClient | undefined;
      let retry: NodeJS.Timeout | undefined;
      /** A subscription on the master of the moment; the one on the old master goes. */
      const open = async (): Promise<void> => {
        const next = master().duplicate();
        next.on('error', noop);
        try {
          await next.connect();
          await next.subscribe(channel, listener);
        } catch (error) {
          if (next.isOpen) next.destroy();
          throw error;
        }
        // a reconnect to the same master: node-redis subscribes again before it says `ready`
        if (onGap) next.on('ready', onGap);
        const old = sub;
        sub = next;
        if (old?.isOpen) old.destroy();
      };
      const moved = () => {
        if (closed) return;
        clearTimeout(retry);
        open().then(
          () => onGap?.(),
          () => {
            retry = setTimeout(moved, RESUBSCRIBE_MS);
            retry.unref?.();
          },
        );
      };
      await open();
      const stop = follower.onSwitch(moved);
      return async () => {
        stop();
        clearTimeout(retry);
        const last = sub;
        if (!last) return;
        if (onGap) last.off('ready', onGap);
        await last.unsubscribe(channel).catch(noop);
        if (last.isOpen) await last.close().catch(() => last.destroy());
      };
    },
    close: async () => {
      closed = true;
      for (const stop of listening.splice(0)) stop();
      await release();
    },
  };
}
