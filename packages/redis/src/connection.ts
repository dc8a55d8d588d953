import { InvalidOptionError } from '@cachette/core';
import { createClient } from '@redis/client';

const makeClient = (url: string) =>
  createClient({
    url,
    // fail at once while disconnected, instead of queueing commands that land much later
    disableOfflineQueue: true,
  });

/** A node-redis client, as `createClient({ url })` returns it. */
export type RedisClient = ReturnType<typeof makeClient>;

/** Where to reach Redis: a URL, or a client you made (its lifecycle stays yours). */
export type RedisConnection = { url: string } | { client: RedisClient };

/** A client and whether we own it; `ready` settles once it is connected (never unhandled). */
export interface Connection {
  client: RedisClient;
  owned: boolean;
  ready: Promise<RedisClient>;
  /** Closes a client we made, connected or still trying. */
  close(): Promise<void>;
}

/**
 * Checks the connection option at once (a bad URL throws `E_INVALID_OPTION` here) and starts
 * connecting; failures surface in the calls that await `ready`.
 */
export function connect(connection: RedisConnection, what: string): Connection {
  if (typeof connection !== 'object' || connection === null || !('client' in connection || 'url' in connection)) {
    throw invalid(`${what} needs { url } or { client }`);
  }
  if ('client' in connection) {
    const { client } = connection;
    const ready = client.isOpen ? Promise.resolve(client) : client.connect().then(() => client);
    ready.catch(() => undefined);
    return { client, owned: false, ready, close: async () => undefined };
  }
  let protocol = '';
  try {
    protocol = new URL(connection.url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw invalid(`${what}: ${JSON.stringify(connection.url)} is not a redis:// or rediss:// URL`);
  }
  const client = makeClient(connection.url);
  // errors are reported by the calls that fail; an unhandled 'error' event would crash the process
  client.on('error', () => undefined);
  const ready = client.connect().then(() => client);
  ready.catch(() => undefined);
  return {
    client,
    owned: true,
    ready,
    // safe to call more than once: a cache's disconnect() and its owner may both close it
    close: async () => {
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
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

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError('E_INVALID_OPTION', `[cachette:redis] ${text}`);
}
