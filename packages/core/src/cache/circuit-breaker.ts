import type { Clock } from '../time/clock.js';

/** Breaker settings, resolved. */
export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** How long it stays open before one call is let through to try again. */
  duration: number;
}

/**
 * Counts consecutive failures of one tier; once open, the tier is skipped until `duration`
 * has passed, then one trial call decides whether it closes again.
 */
export class CircuitBreaker {
  #failures = 0;
  #openUntil = 0;
  readonly #policy: BreakerPolicy;
  readonly #clock: Clock;

  constructor(policy: BreakerPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
  }

  /** True while the breaker is open, as a reading only (for stats): it never lets a trial through. */
  get broken(): boolean {
    return this.#openUntil !== 0 && this.#clock.now() < this.#openUntil;
  }

  /**
   * True while calls should be skipped. Once the break is over, the first caller is let
   * through as the trial and the break is extended meanwhile, so concurrent callers still skip;
   * the trial's success closes the breaker, its failure opens it again.
   */
  get isOpen(): boolean {
    if (this.#openUntil === 0) return false;
    const now = this.#clock.now();
    if (now < this.#openUntil) return true;
    this.#openUntil = now + this.#policy.duration;
    return false;
  }

  /** Records a success; returns true if this closed an open breaker. */
  success(): boolean {
    const wasBroken = this.#openUntil !== 0;
    this.#failures = 0;
    this.#openUntil = 0;
    return wasBroken;
  }

  /** Records a failure; returns true if this opened the breaker. */
  failure(): boolean {
    this.#failures++;
    if (this.#failures < this.#policy.failures) return false;
    // the threshold was reached, or the trial after a break failed: (re)open
    const wasBroken = this.#openUntil !== 0;
    this.#openUntil = this.#clock.now() + this.#policy.duration;
    return !wasBroken;
  }
}
