import type { Clock } from '../time/clock.js';

/** Breaker settings, resolved. */
export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** The longest break: breaks start at an eighth of it and double after each failed trial, up to it. */
  duration: number;
}

/** Where a breaker stands: calls go through, calls are skipped, or one trial call decides. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Counts consecutive failures of one tier; once open, the tier is skipped for a break, then one
 * trial call (half-open) decides: its success closes the breaker, its failure opens it again for
 * twice as long (up to `duration`), so that a dead server gets one probe per break, not a stream.
 * A store that knows its connection is back says so (`ready()`): the next call is the trial, at once.
 */
export class CircuitBreaker {
  #failures = 0;
  #openUntil = 0;
  #break = 0;
  #trialRunning = false;
  readonly #policy: BreakerPolicy;
  readonly #clock: Clock;

  constructor(policy: BreakerPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
  }

  /** True while the breaker is open, as a reading only (for stats): it never lets a trial through. */
  get broken(): boolean {
    return this.#openUntil !== 0 && (this.#trialRunning || this.#clock.now() < this.#openUntil);
  }

  /** The state now, as a reading only. */
  get state(): BreakerState {
    if (this.#openUntil === 0) return 'closed';
    return this.broken ? 'open' : 'half-open';
  }

  /**
   * True while calls should be skipped. Once the break is over, the first caller is let
   * through as the trial and the others skip until it has answered.
   */
  get isOpen(): boolean {
    if (this.#openUntil === 0) return false;
    if (this.#trialRunning || this.#clock.now() < this.#openUntil) return true;
    this.#trialRunning = true;
    return false;
  }

  /** The store says its connection is back: end the break now, so the next call is the trial. */
  ready(): void {
    if (this.#openUntil !== 0 && !this.#trialRunning) this.#openUntil = Math.min(this.#openUntil, this.#clock.now());
  }

  /** Records a success; returns true if this closed an open breaker. */
  success(): boolean {
    const wasBroken = this.#openUntil !== 0;
    this.#failures = 0;
    this.#openUntil = 0;
    this.#break = 0;
    this.#trialRunning = false;
    return wasBroken;
  }

  /** Records a failure; returns true if this opened the breaker. */
  failure(): boolean {
    this.#failures++;
    const longest = this.#policy.duration;
    if (this.#openUntil !== 0) {
      // a call made before the break changes nothing; a failed trial doubles the break
      if (!this.#trialRunning) return false;
      this.#trialRunning = false;
      this.#break = Math.min(longest, this.#break * 2);
      this.#openUntil = this.#clock.now() + this.#break;
      return false;
    }
    if (this.#failures < this.#policy.failures) return false;
    this.#break = Math.max(1, Math.round(longest / 8));
    this.#openUntil = this.#clock.now() + this.#break;
    return true;
  }
}
