/** Most keys one `MGET` carries; a larger batch is split, so no reply grows without bound. */
const MAX_KEYS = 64;

/** How the batch reaches Redis: one key as a `GET`, several as one `MGET`, replies in key order. */
export interface BatchReads<R> {
  one(key: string): Promise<R | null>;
  many(keys: string[]): Promise<Array<R | null>>;
}

/**
 * Reads asked for in one tick of the event loop, sent together: the keys are collected until
 * the microtasks of this tick have run (`process.nextTick`, never a timer, so a lone read waits
 * for nothing) and go to Redis as one `MGET`; a batch of one stays a plain `GET`. Each caller
 * gets the reply to its own key, `answer` applied to it alone (a reply it cannot read fails that
 * caller only); a failed command fails every read it carried, each with the same error.
 *
 * @example
 * ```ts
 * const read = batchReads({ one: (k) => redis.get(k), many: (ks) => redis.mGet(ks) }, (reply) => reply)
 * const [a, b] = await Promise.all([read('a'), read('b')]) // one MGET a b
 * ```
 */
export function batchReads<R, T>(reads: BatchReads<R>, answer: (reply: R | null) => T): (key: string) => Promise<T> {
  let keys: string[] = [];
  let waiting: Array<Waiter<T>> = [];
  const settle = (waiter: Waiter<T>, reply: R | null) => {
    try {
      waiter.resolve(answer(reply));
    } catch (error) {
      waiter.reject(error);
    }
  };
  const send = (batchKeys: string[], batch: Array<Waiter<T>>) => {
    if (batchKeys.length === 1) {
      const waiter = batch[0] as Waiter<T>;
      started(() => reads.one(batchKeys[0] as string)).then(
        (reply) => settle(waiter, reply),
        (error: unknown) => waiter.reject(error),
      );
      return;
    }
    started(() => reads.many(batchKeys)).then(
      (replies) => {
        for (let i = 0; i < batch.length; i++) settle(batch[i] as Waiter<T>, replies[i] ?? null);
      },
      (error: unknown) => {
        for (const waiter of batch) waiter.reject(error);
      },
    );
  };
  const flush = () => {
    const batchKeys = keys;
    const batch = waiting;
    keys = [];
    waiting = [];
    for (let from = 0; from < batchKeys.length; from += MAX_KEYS) {
      const to = Math.min(batchKeys.length, from + MAX_KEYS);
      if (from === 0 && to === batchKeys.length) send(batchKeys, batch);
      else send(batchKeys.slice(from, to), batch.slice(from, to));
    }
  };
  return (key) =>
    new Promise<T>((resolve, reject) => {
      if (keys.length === 0) process.nextTick(flush);
      keys.push(key);
      waiting.push({ resolve, reject });
    });
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** `work()`, with a synchronous throw turned into a rejection. */
function started<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}
