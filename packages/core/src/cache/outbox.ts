import { type Clock, systemClock, type TimerHandle } from '../time/clock.js';

/** How many items wait at most; past that the oldest is dropped (and counted in `dropped`). */
const MAX_WAITING = 10_000;
/** How often sending is tried again while items wait, besides whenever `flush()` is called. */
const RETRY_MS = 100;

/**
 * What could not be sent, sent again in order until each goes through: a purge made while its
 * store or its bus was away reaches it late rather than never. Sending is tried at once when an
 * item is pushed, every 100 ms while any waits, and whenever `flush()` is called (say, when the
 * connection is back); the 100 ms are kept by `options.clock` (a `manualClock()` in tests).
 * `options.sent` runs for each item that went through late. The cache keeps the deletes and
 * marks a shared tier failed in one; `redisBus` keeps the messages it could not publish.
 *
 * @example
 * ```ts
 * const outbox = new Outbox((text: string) => client.publish(channel, text))
 * try { await client.publish(channel, text) } catch { outbox.push(text) }
 * client.on('ready', () => void outbox.flush())
 * ```
 */
export class Outbox<T> {
  readonly #send: (item: T) => Promise<unknown>;
  readonly #sent: ((item: T) => void) | undefined;
  readonly #waiting: T[] = [];
  /** The flush under way: a second caller waits for it rather than for nothing. */
  #flushing: Promise<void> | undefined;
  readonly #clock: Clock;
  #timer: TimerHandle | undefined;
  #closed = false;
  /** Items dropped because too many waited. */
  dropped = 0;

  constructor(send: (item: T) => Promise<unknown>, options: { sent?: (item: T) => void; clock?: Clock } = {}) {
    this.#send = send;
    this.#sent = options.sent;
    this.#clock = options.clock ?? systemClock;
  }

  /** How many items wait. */
  get size(): number {
    return this.#waiting.length;
  }

  /** Keeps `item` behind those that wait, and tries to send at once. */
  push(item: T): void {
    if (this.#closed) return;
    this.#waiting.push(item);
    if (this.#waiting.length > MAX_WAITING) {
      this.#waiting.shift();
      this.dropped++;
    }
    void this.flush();
  }

  /**
   * Sends what waits, in order, until one fails (then it waits for the next try). Resolves once
   * nothing waits or a send failed; called while a flush runs, it resolves with that one.
   */
  flush(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#flushing ??= this.#sendAll();
    return this.#flushing;
  }

  async #sendAll(): Promise<void> {
    // one turn first: `flush` has then kept this run, and clearing it below (as the loop ends, with
    // no turn in between for a push to slip into) always clears this one
    await undefined;
    try {
      while (this.#waiting.length > 0 && !this.#closed) {
        const next = this.#waiting[0] as T;
        await this.#send(next);
        this.#waiting.shift();
        this.#sent?.(next);
      }
    } catch {
      this.#retryLater();
    } finally {
      this.#flushing = undefined;
    }
  }

  /** Forgets what waits and stops trying: the connection is closed for good. */
  close(): void {
    this.#closed = true;
    this.#waiting.length = 0;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
  }

  #retryLater(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, RETRY_MS);
  }
}
