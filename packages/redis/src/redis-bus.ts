import { randomUUID } from 'node:crypto';
import { type BusMessage, type CacheBus, CoordinationError, ErrorCode, Outbox } from '@cachette/core';
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
 * While its connection is away, messages wait (in order, up to 10,000) and are published once
 * it is back; the failed publish is still reported. When its subscription was lost and is made
 * again, it hands the cache a `resync`: messages sent meanwhile were missed, so the cache drops
 * what its memory tiers hold.
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
  const send = async (text: string) => {
    // never pile up messages behind a connection that is not there
    const client = await within(connection.ready, 1_000);
    if (!client) throw new CoordinationError(ErrorCode.BusError, '[cachette:redis] redisBus is not connected');
    await client.publish(channel, text);
  };
  const outbox = new Outbox(send);
  connection.onReady(() => void outbox.flush());
  let unsubscribe: (() => Promise<void>) | undefined;
  return {
    async publish(message) {
      const text = JSON.stringify({ from: id, message } satisfies Envelope);
      // behind messages that wait: in order, and their failure is already reported
      if (outbox.size > 0) return outbox.push(text);
      try {
        await send(text);
      } catch (cause) {
        outbox.push(text);
        throw new CoordinationError(
          ErrorCode.BusError,
          `[cachette:redis] redisBus could not publish; the message waits for the connection (${outbox.size} waiting)`,
          { cause },
        );
      }
    },
    async subscribe(handler) {
      unsubscribe = await connection.subscribe(
        channel,
        (raw) => {
          const envelope = parse(raw);
          if (envelope && envelope.from !== id) handler(envelope.message);
        },
        () => handler({ type: 'resync' }),
      );
    },
    async disconnect() {
      outbox.close();
      await unsubscribe?.();
      await connection.close();
    },
  };
}

function parse(raw: string): Envelope | undefined {
  try {
    const envelope = JSON.parse(raw) as Envelope;
    const type = envelope?.message?.type;
    // a resync is made by the bus that missed messages, never sent
    return typeof envelope?.from === 'string' && typeof type === 'string' && type !== 'resync' ? envelope : undefined;
  } catch {
    return undefined;
  }
}
