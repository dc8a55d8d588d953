import type { Clock } from '../time/clock.js';

/** Thrown inside {@link withTimeout} when time runs out; callers map it to their own error. */
export class TimeoutSignal extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms}ms`);
  }
}

/**
 * Races `work` against a timer on `clock`. A value that is not a promise passes through
 * without a timer, so synchronous stores pay nothing. `ms <= 0` or `Infinity` means no timeout.
 */
export function withTimeout<T>(work: T | Promise<T>, ms: number, clock: Clock): T | Promise<T> {
  if (!(work instanceof Promise) || ms <= 0 || ms === Number.POSITIVE_INFINITY) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new TimeoutSignal(ms)), ms);
    work.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Calls begun in one instant of the clock, and the one timer that times them all out. */
interface Batch {
  at: number;
  timer: unknown;
  pending: Set<(signal: TimeoutSignal) => void>;
}

/**
 * {@link withTimeout} for a stream of calls with one timeout (a shared tier's reads): calls begun
 * in the same instant of the cache's clock (read coarsely, about once a millisecond) share one
 * timer instead of a Node timer each, set when the first of them begins, so none waits longer
 * than `ms`. A timer whose calls have all settled is cleared once a newer instant has begun.
 *
 * @example
 * ```ts
 * const deadlines = new Deadlines(200, systemClock)
 * const value = await deadlines.race(redis.get(key)) // rejects with TimeoutSignal after 200 ms
 * ```
 */
export class Deadlines {
  readonly #ms: number;
  readonly #clock: Clock;
  #current: Batch | undefined;

  constructor(ms: number, clock: Clock) {
    this.#ms = ms;
    this.#clock = clock;
  }

  race<T>(work: T | Promise<T>): T | Promise<T> {
    if (!(work instanceof Promise) || this.#ms <= 0 || this.#ms === Number.POSITIVE_INFINITY) return work;
    const batch = this.#batch();
    return new Promise<T>((resolve, reject) => {
      batch.pending.add(reject);
      work.then(
        (value) => {
          this.#settled(batch, reject);
          resolve(value);
        },
        (error: unknown) => {
          this.#settled(batch, reject);
          reject(error);
        },
      );
    });
  }

  #batch(): Batch {
    const now = this.#clock.now();
    const current = this.#current;
    if (current !== undefined && current.at === now) return current;
    if (current !== undefined && current.pending.size === 0) this.#clock.clearTimeout(current.timer);
    const batch: Batch = { at: now, timer: undefined, pending: new Set() };
    batch.timer = this.#clock.setTimeout(() => {
      if (this.#current === batch) this.#current = undefined;
      const signal = new TimeoutSignal(this.#ms);
      for (const reject of batch.pending) reject(signal);
      batch.pending.clear();
    }, this.#ms);
    this.#current = batch;
    return batch;
  }

  #settled(batch: Batch, reject: (signal: TimeoutSignal) => void): void {
    batch.pending.delete(reject);
    if (batch.pending.size === 0 && this.#current !== batch) this.#clock.clearTimeout(batch.timer);
  }
}
