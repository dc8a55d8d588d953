/** Most keys one `MGET` carries; a larger batch is split, so no reply grows without bound. */
const MAX_KEYS = 64;

/** How the batch reaches Redis: one key as a `GET`, several as one `MGET`, replies in key order. */
export interface BatchReads<R> {
  one(key: string): Promise<R | null>;
  many(keys: string[]): Promise<Array<R | null>>;
}

/**
 * Reads asked for in one tick of the event loop, sent together: the keys are collected until
 * the microtasks of this tick have run (`process.nextTick`, never a timer: node-redis writes on
 * its next turn of the event loop anyway, so a lone read waits for nothing) and go to Redis as
 * one `MGET`; a batch of one stays a plain `GET`. All its callers then go on together when the
 * one reply comes: sending the first read of a tick at once instead splits them (its reply comes
 * first), and under load the groups split further into many small batches. Each caller
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
  const sendOne = (key: string, waiter: Waiter<T>) => {
    let reply: Promise<R | null>;
    try {
      reply = reads.one(key);
    } catch (error) {
      waiter.reject(error);
      return;
    }
    reply.then((value) => settle(waiter, value), waiter.reject);
  };
  const sendMany = (batchKeys: string[], batch: Array<Waiter<T>>) => {
    let replies: Promise<Array<R | null>>;
    try {
      replies = reads.many(batchKeys);
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
      return;
    }
    replies.then(
      (values) => {
        for (let i = 0; i < batch.length; i++) settle(batch[i] as Waiter<T>, values[i] ?? null);
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
      if (to - from === 1) sendOne(batchKeys[from] as string, batch[from] as Waiter<T>);
      else if (from === 0 && to === batchKeys.length) sendMany(batchKeys, batch);
      else sendMany(batchKeys.slice(from, to), batch.slice(from, to));
    }
  };
  const enqueue = (key: string) => (resolve: (value: T) => void, reject: (error: unknown) => void) => {
    if (keys.length === 0) process.nextTick(flush);
    keys.push(key);
    waiting.push({ resolve, reject });
  };
  return (key) => new Promise<T>(enqueue(key));
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}
