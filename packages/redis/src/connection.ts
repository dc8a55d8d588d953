import { createClient, RESP_TYPES } from '@redis/client';
import { clusterConnection } from './cluster-connection.js';
import { connectionKind, type RedisConnection } from './connection-options.js';
import { sentinelConnection } from './sentinel-connection.js';

export type { RedisClusterOptionsInput, RedisConnection } from './connection-options.js';

/**
 * Reconnects after 50, 100, 200, 400 ms, then every 500 ms: node-redis's own backoff grows to 2 s,
 * so a Redis back after an outage of a few seconds would wait up to 2 s more to be used.
 */
export const reconnectStrategy = (retries: number): number => Math.min(2 ** retries * 50, 500);

const makeClient = (url: string) =>
  createClient({
    url,
    // fail at once while disconnected, instead of queueing commands that land much later
    disableOfflineQueue: true,
    socket: { reconnectStrategy },
  });

/** A node-redis client, as `createClient({ url })` returns it. */
export type RedisClient = ReturnType<typeof makeClient>;

/** The commands cachette sends, the same on one Redis, a cluster and a sentinel set. */
export interface RedisCommands {
  readonly isReady: boolean;
  get(key: string): Promise<string | null>;
  /** `GET`, the reply as the bytes Redis holds: no decoding to text by the client. */
  getBytes(key: string): Promise<Buffer | null>;
  /**
   * `MGET`, the replies as bytes, in key order. Absent on a cluster, where keys of one batch
   * rarely share a slot: reads there stay one `GET` each.
   */
  mGetBytes?(keys: string[]): Promise<Array<Buffer | null>>;
  set(key: string, value: string | Buffer, options: SetOptions): Promise<string | null>;
  del(keys: string | string[]): Promise<number>;
  mGet(keys: string[]): Promise<Array<string | null>>;
  unlink(keys: string[]): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** node-redis type mapping: bulk strings as Buffers. */
const AS_BYTES = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

/** Per-command options for a `GET` answered as bytes (`withTypeMapping` would change every command's mapping). */
export const BYTES_OPTIONS = { typeMapping: AS_BYTES };

/** `commands` (a node-redis client) with `getBytes` and `mGetBytes` added. */
function withBytes(client: RedisClient): RedisCommands {
  const bytes = {
    getBytes: (key: string) => client.sendCommand(['GET', key], BYTES_OPTIONS),
    mGetBytes: (keys: string[]) => client.sendCommand(['MGET', ...keys], BYTES_OPTIONS),
  };
  return Object.assign(Object.create(client) as object, bytes) as unknown as RedisCommands;
}

/** The `SET` options cachette uses. */
export interface SetOptions {
  condition?: 'NX';
  expiration: { type: 'PX'; value: number };
}

/** Commands, pub/sub and clearing over one of the three kinds of Redis deployment. */
export interface Connection {
  client: RedisCommands;
  owned: boolean;
  /** Settles once connected (never unhandled). */
  ready: Promise<RedisCommands>;
  /** Unlinks every key matching a `SCAN` pattern, on every master. */
  unlinkMatching(match: string): Promise<void>;
  /**
   * Subscribes on a connection of its own; resolves to the unsubscribe. `onGap` is called once
   * the subscription is back after it may have missed messages (its connection dropped).
   */
  subscribe(channel: string, listener: (message: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  /** Calls `listener` each time a connection comes (back) up, so the cache can use the tier at once. */
  onReady(listener: () => void): void;
  /** Closes what we made, connected or still trying; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Checks the connection option at once (a bad shape throws `E_INVALID_OPTION` here) and starts
 * connecting; failures surface in the calls that await `ready`.
 */
export function connect(connection: RedisConnection, what: string): Connection {
  const kind = connectionKind(connection, what);
  if ('cluster' in connection && kind === 'cluster') return clusterConnection(connection.cluster);
  if ('sentinel' in connection && kind === 'sentinel') return sentinelConnection(connection.sentinel);
  if ('client' in connection && kind === 'client') {
    const { client } = connection;
    const ready = client.isOpen ? Promise.resolve(client) : client.connect().then(() => client);
    return singleConnection(client, ready, false);
  }
  const client = makeClient((connection as { url: string }).url);
  // errors are reported by the calls that fail; an unhandled 'error' event would crash the process
  client.on('error', () => undefined);
  return singleConnection(
    client,
    client.connect().then(() => client),
    true,
  );
}

function singleConnection(client: RedisClient, connecting: Promise<RedisClient>, owned: boolean): Connection {
  const commands = withBytes(client);
  const ready = connecting.then(() => commands);
  ready.catch(() => undefined);
  return {
    client: commands,
    owned,
    ready,
    onReady: (listener) => void client.on('ready', listener),
    async unlinkMatching(match) {
      await ready;
      for await (const keys of client.scanIterator({ MATCH: match, COUNT: 500 })) {
        if (keys.length > 0) await client.unlink(keys);
      }
    },
    async subscribe(channel, listener, onGap) {
      await ready;
      const sub = client.duplicate();
      sub.on('error', () => undefined);
      await sub.connect();
      await sub.subscribe(channel, listener);
      // node-redis subscribes again before it says `ready` on a reconnect
      if (onGap) sub.on('ready', onGap);
      return async () => {
        if (onGap) sub.off('ready', onGap);
        await sub.unsubscribe(channel).catch(() => undefined);
        await sub.close().catch(() => undefined);
      };
    },
    close: async () => {
      if (!owned) return;
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}

/**
 * A connection attempt that is made again, at most once a second, when the last one failed: a
 * cluster or a sentinel set that is down when the process starts is used once it comes up.
 * (A single client retries by itself: its `connect()` waits through reconnects.)
 */
export function retryingReady<T>(connect: () => Promise<T>, closed: () => boolean): { readonly current: Promise<T> } {
  let attempt = connect();
  let failedAt: number | undefined;
  const watch = (work: Promise<T>) =>
    work.catch(() => {
      if (attempt === work) failedAt = Date.now();
    });
  watch(attempt);
  return {
    get current() {
      if (failedAt !== undefined && !closed() && Date.now() - failedAt >= 1_000) {
        failedAt = undefined;
        attempt = connect();
        watch(attempt);
      }
      return attempt;
    },
  };
}

/** Resolves to `work`'s value, or to undefined once `ms` have passed. */
export function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
