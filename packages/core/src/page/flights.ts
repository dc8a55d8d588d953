import type { Clock, TimerHandle } from '../time/clock.js';
import type { PageRecord } from './record.js';

/** How a render for a key ended, as those waiting on it learn. */
export type RenderOutcome = 'stored' | 'uncacheable' | 'failed' | 'timeout';

/** A page the lead render made, handed to its waiters as it goes to the cache. */
export interface RenderedPage {
  key: string;
  varyNames: readonly string[];
  record: PageRecord;
}

/** What those waiting on a render learn: how it ended, and the page when it was stored. */
export interface FlightResult {
  outcome: RenderOutcome;
  page?: RenderedPage | undefined;
}

/** Ends a lead render; only its first call counts. */
export type Settle = (outcome: RenderOutcome, page?: RenderedPage) => void;

/** How long a page whose render was not storable goes straight to render (Varnish's hit-for-pass). */
export const HIT_FOR_PASS_MS = 10_000;
const MAX_REMEMBERED = 10_000;

interface Flight {
  outcome: Promise<FlightResult>;
  settle: Settle;
}

/**
 * Per-process coordination of page renders: one render per key at a time, the others wait
 * for its outcome (at most `lockTimeout`, after which the lead is let go); and a short memory
 * of keys whose render was not storable, so that they do not queue behind each other.
 */
export class RenderFlights {
  readonly #clock: Clock;
  readonly #lockTimeout: number;
  readonly #flights = new Map<string, Flight>();
  readonly #uncacheable = new Map<string, number>();

  constructor(clock: Clock, lockTimeout: number) {
    this.#clock = clock;
    this.#lockTimeout = lockTimeout;
  }

  /** Takes the lead for `key`; `undefined` when another render leads. */
  lead(key: string): Settle | undefined {
    if (this.#flights.has(key)) return undefined;
    let resolve!: (result: FlightResult) => void;
    const outcome = new Promise<FlightResult>((r) => {
      resolve = r;
    });
    let timer: TimerHandle | undefined;
    const flight: Flight = {
      outcome,
      settle: (result, page) => {
        if (this.#flights.get(key) !== flight) return;
        this.#flights.delete(key);
        if (timer !== undefined) this.#clock.clearTimeout(timer);
        if (result === 'uncacheable') this.remember(key);
        else if (result === 'stored') this.#uncacheable.delete(key);
        resolve({ outcome: result, page });
      },
    };
    this.#flights.set(key, flight);
    // A lead that never finishes (a client gone, an adapter bug) must not hold the key.
    timer = this.#clock.setTimeout(() => flight.settle('timeout'), this.#lockTimeout);
    return flight.settle;
  }

  /** The outcome of the render leading `key`, if one leads. */
  waitFor(key: string): Promise<FlightResult> | undefined {
    return this.#flights.get(key)?.outcome;
  }

  /** True while `key` is remembered as not storable. */
  isUncacheable(key: string): boolean {
    const until = this.#uncacheable.get(key);
    if (until === undefined) return false;
    if (this.#clock.now() < until) return true;
    this.#uncacheable.delete(key);
    return false;
  }

  /** Forgets that `key` was not storable (it was stored since). */
  forget(key: string): void {
    this.#uncacheable.delete(key);
  }

  /** Remembers, for {@link HIT_FOR_PASS_MS}, that `key` was not storable. */
  remember(key: string): void {
    this.#uncacheable.delete(key);
    if (this.#uncacheable.size >= MAX_REMEMBERED) {
      const oldest = this.#uncacheable.keys().next().value;
      if (oldest !== undefined) this.#uncacheable.delete(oldest);
    }
    this.#uncacheable.set(key, this.#clock.now() + HIT_FOR_PASS_MS);
  }
}
