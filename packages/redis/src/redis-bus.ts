import { randomUUID } from 'node:crypto';
import type { BusMessage, CacheBus } from '@cachette/core';
import { connect, type RedisConnection } from './connection.js';

/** Options of {@link redisBus}. */
export type RedisBusOptions = RedisConnection & {
  /** Pub/sub channel; every process of one cache uses the same. Default `'cachette:bus'`. */
  channel?: string;
};

interface Envelope {
  from: string;
  message: BusMessage;
}

/**
 * Keeps the memory tiers of many processes coherent over Redis pub/sub: when one process
 * changes or deletes keys, tags or a namespace, the others drop them from memory. It carries
 * keys only, never values, and ignores its own messages.
 *
 * @example
 * ```ts
 * const cache = createCache({ tiers, bus: redisBus({ url: process.env.REDIS_URL }) })
 * ```
 */
export function redisBus(options: RedisBusOptions): CacheBus {
  const channel = options.channel ?? 'cachette:bus';
  const id = randomUUID();
  const publisher = connect(options);
  let subscriber:
    | Promise<{ client: { unsubscribe(ch: string): Promise<unknown>; quit?(): Promise<unknown>; close?(): Promise<unknown> } }>
    | undefined;
  return {
    async publish(message) {
      const { client } = await publisher;
      await client.publish(channel, JSON.stringify({ from: id, message } satisfies Envelope));
    },
    async subscribe(handler) {
      const { client } = await publisher;
      const sub = client.duplicate();
      sub.on('error', () => undefined);
      await sub.connect();
      await sub.subscribe(channel, (raw) => {
        const envelope = parse(raw);
        if (envelope && envelope.from !== id) handler(envelope.message);
      });
      subscriber = Promise.resolve({ client: sub });
    },
    async disconnect() {
      const sub = await subscriber;
      await sub?.client.unsubscribe(channel).catch(() => undefined);
      await sub?.client.close?.().catch(() => undefined);
      const { client, owned } = await publisher;
      if (owned) await client.close();
    },
  };
}

function parse(raw: string): Envelope | undefined {
  try {
    const envelope = JSON.parse(raw) as Envelope;
    return typeof envelope?.from === 'string' && typeof envelope.message?.type === 'string' ? envelope : undefined;
  } catch {
    return undefined;
  }
}
