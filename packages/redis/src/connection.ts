import { createClient } from '@redis/client';

const makeClient = (url: string) => createClient({ url });

/** A node-redis client, as `createClient({ url })` returns it. */
export type RedisClient = ReturnType<typeof makeClient>;

/** Where to reach Redis: a URL, or a client you made (its lifecycle stays yours). */
export type RedisConnection = { url: string } | { client: RedisClient };

/** A connected client, and whether we own it (and so must close it). */
export async function connect(connection: RedisConnection): Promise<{ client: RedisClient; owned: boolean }> {
  if ('client' in connection) {
    if (!connection.client.isOpen) await connection.client.connect();
    return { client: connection.client, owned: false };
  }
  const client = makeClient(connection.url);
  // errors are reported by the calls that fail; an unhandled 'error' event would crash the process
  client.on('error', () => undefined);
  await client.connect();
  return { client, owned: true };
}
