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
