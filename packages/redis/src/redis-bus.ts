import { randomUUID } from 'node:crypto';
import { type BusMessage, type CacheBus, CoordinationError, ErrorCode } from '@cachette/core';
import { connect, type RedisConnection, within } from './connection.js';

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
 * keys only, never values, and ignores its own messages. On a Redis Cluster it publishes with
 * `PUBLISH`, which the cluster forwards to every node; on Sentinel it follows the master.
 *
 * @example
 * ```ts
 * const cache = createCache({ tiers, bus: redisBus({ url: process.env.REDIS_URL }) })
 * redisBus({ cluster: { rootNodes: [{ url: 'redis://10.0.0.1:7000' }] }, channel: 'shop:bus' })
 * ```
 */
export function redisBus(options: RedisBusOptions): CacheBus {
  const channel = options.channel ?? 'cachette:bus';
  const id = randomUUID();
  const connection = connect(options, 'redisBus');
  let unsubscribe: (() => Promise<void>) | undefined;
  return {
    async publish(message) {
      // never pile up messages behind a connection that is not there
      const client = await within(connection.ready, 1_000);
      if (!client) throw new CoordinationError(ErrorCode.BusError, '[cachette:redis] redisBus is not connected; message dropped');
      await client.publish(channel, JSON.stringify({ from: id, message } satisfies Envelope));
    },
    async subscribe(handler) {
      unsubscribe = await connection.subscribe(channel, (raw) => {
        const envelope = parse(raw);
        if (envelope && envelope.from !== id) handler(envelope.message);
      });
    },
    async disconnect() {
      await unsubscribe?.();
      await connection.close();
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
