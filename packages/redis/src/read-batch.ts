/** Most keys one `MGET` carries; a larger batch is split, so no reply grows without bound. */
const MAX_KEYS = 64;

/** How the batch reaches Redis: one key as a `GET`, several as one `MGET`, replies in key order. */
export interface BatchReads<R> {
  one(key: string): Promise<R | null>;
  many(keys: string[]): Promise<Array<R | null>>;
}

/**
 * Reads asked for in one tick of the event loop, sent together: the first goes at once as a
 * `GET` (so a lone read waits for nothing and costs what it did unbatched); those that follow
 * in the same tick are collected until its microtasks have run (`process.nextTick`, never a
 * timer) and go to Redis as one `MGET` (a `GET` if there is one). node-redis writes both in one
 * go on its next turn of the event loop. Each caller
 * gets the reply to its own key, `answer` applied to it alone (a reply it cannot read fails that
 * caller only); a failed command fails every read it carried, each with the same error.
 *
 * @example
 * ```ts
 * const read = batchReads({ one: (k) => redis.get(k), many: (ks) => redis.mGet(ks) }, (reply) => reply)
 * const [a, b, c] = await Promise.all([read('a'), read('b'), read('c')]) // GET a, then MGET b c
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
  /** True while this tick's reads are being collected (its first one is already on its way). */
  let collecting = false;
  const flush = () => {
    collecting = false;
    const batchKeys = keys;
    const batch = waiting;
    if (batchKeys.length === 0) return;
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
    keys.push(key);
    waiting.push({ resolve, reject });
  };
  return (key) => {
    if (collecting) return new Promise<T>(enqueue(key));
    // the first read of a tick goes at once, as it would alone: a lone read pays nothing for batching
    collecting = true;
    process.nextTick(flush);
    try {
      return reads.one(key).then(answer);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}
