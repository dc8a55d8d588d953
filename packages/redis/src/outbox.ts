/** How many messages wait for the connection at most; past that the oldest are dropped. */
const MAX_WAITING = 10_000;
/** How often sending is tried again while messages wait (besides when the connection says it is back). */
const RETRY_MS = 100;

/**
 * What could not be sent, in order, sent again once the connection is back: a purge made while
 * Redis was away still reaches Redis and the other processes, late rather than never. Sending is
 * tried every {@link RETRY_MS} ms and whenever `flush()` is called (on reconnect).
 *
 * @example
 * ```ts
 * const outbox = new Outbox((text: string) => client.publish(channel, text))
 * outbox.push(text) // sent as soon as `send` succeeds again
 * ```
 */
export class Outbox<T> {
  readonly #send: (item: T) => Promise<unknown>;
  readonly #waiting: T[] = [];
  #flushing = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Messages dropped because too many waited. */
  dropped = 0;

  constructor(send: (item: T) => Promise<unknown>) {
    this.#send = send;
  }

  get size(): number {
    return this.#waiting.length;
  }

  push(item: T): void {
    if (this.#closed) return;
    this.#waiting.push(item);
    if (this.#waiting.length > MAX_WAITING) {
      this.#waiting.shift();
      this.dropped++;
    }
    this.#retryLater();
  }

  /** Sends what waits, in order, until one fails (then it waits for the next try). */
  async flush(): Promise<void> {
    if (this.#flushing || this.#closed) return;
    this.#flushing = true;
    try {
      while (this.#waiting.length > 0 && !this.#closed) {
        await this.#send(this.#waiting[0] as T);
        this.#waiting.shift();
      }
    } catch {
      this.#retryLater();
    } finally {
      this.#flushing = false;
    }
  }

  close(): void {
    this.#closed = true;
    this.#waiting.length = 0;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #retryLater(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, RETRY_MS);
    this.#timer.unref?.();
  }
}
