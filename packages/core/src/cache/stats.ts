import type { BreakerState } from './circuit-breaker.js';
import type { Tier } from './tier.js';

/** One tier in {@link CacheStats}. */
export interface TierStats {
  name: string;
  /** Reads that reached this tier (a read stops at the first tier with a fresh value). */
  reads: number;
  /** Reads this tier answered. */
  hits: number;
  /** `hits / reads`, 0 before the first read. */
  hitRatio: number;
  errors: number;
  /** Entries held now, where the store can tell at once (the memory tier); else undefined. */
  entries: number | undefined;
  /** Bytes held now (an estimate of each value's size), where the store can tell at once; else undefined. */
  bytes: number | undefined;
  /** The tier's circuit breaker: `closed` (in use), `open` (skipped), `half-open` (the next call is a trial). */
  circuit: BreakerState;
  /** `circuit === 'open'`. */
  circuitOpen: boolean;
}

/**
 * Counters since the cache was made, and what the tiers hold now: what sizing a memory tier and
 * watching a shared one need.
 */
export interface CacheStats {
  /** Fresh values served. */
  hits: number;
  /** Stale values served while one refresh ran (stale-while-revalidate). */
  staleHits: number;
  misses: number;
  /** `(hits + staleHits) / (hits + staleHits + misses)`, 0 before the first read. */
  hitRatio: number;
  sets: number;
  deletes: number;
  /** Loader runs, foreground and background. */
  loads: number;
  loadErrors: number;
  /** Milliseconds spent in loaders, in total, on average and at most (on the cache clock). */
  loadTime: { total: number; average: number; max: number };
  /** Stale values that stood in for a failing or slow loader (stale-if-error, soft timeout). */
  fallbacks: number;
  /** Every answer that was not fresh: `staleHits + fallbacks`. */
  staleAnswers: number;
  /** Loader results and back-fills dropped because their key was invalidated while they were made. */
  discarded: number;
  errors: number;
  tiers: TierStats[];
}

/** Mutable counters behind {@link CacheStats}. */
export class StatsCounter {
  hits = 0;
  staleHits = 0;
  misses = 0;
  sets = 0;
  deletes = 0;
  loads = 0;
  loadErrors = 0;
  loadTime = 0;
  loadTimeMax = 0;
  fallbacks = 0;
  discarded = 0;
  errors = 0;
  /**
   * Fresh hits of the first tier answered on the cache's fast path (`Cache.get` without entering
   * the tiers): one counter, counted in `hits` and in the first tier's reads and hits on `read`.
   */
  freshLocalHits = 0;
  readonly tierReads: number[];
  readonly tierHits: number[];
  readonly tierErrors: number[];

  constructor(tiers: number) {
    this.tierReads = new Array<number>(tiers).fill(0);
    this.tierHits = new Array<number>(tiers).fill(0);
    this.tierErrors = new Array<number>(tiers).fill(0);
  }

  /** Records a read that reached tier `i`. */
  countRead(i: number): void {
    this.tierReads[i] = (this.tierReads[i] ?? 0) + 1;
  }

  /** Records the time one loader run took. */
  loaded(ms: number): void {
    this.loadTime += ms;
    if (ms > this.loadTimeMax) this.loadTimeMax = ms;
  }

  /** A snapshot of the counters, with what each tier holds now. */
  read(tiers: readonly Tier[]): CacheStats {
    const local = this.freshLocalHits;
    const hitCount = this.hits + local;
    const answered = hitCount + this.staleHits;
    return {
      hits: hitCount,
      staleHits: this.staleHits,
      misses: this.misses,
      hitRatio: ratio(answered, answered + this.misses),
      sets: this.sets,
      deletes: this.deletes,
      loads: this.loads,
      loadErrors: this.loadErrors,
      loadTime: { total: this.loadTime, average: ratio(this.loadTime, this.loads), max: this.loadTimeMax },
      fallbacks: this.fallbacks,
      staleAnswers: this.staleHits + this.fallbacks,
      discarded: this.discarded,
      errors: this.errors,
      tiers: tiers.map((tier, i) => {
        const reads = (this.tierReads[i] ?? 0) + (i === 0 ? local : 0);
        const hits = (this.tierHits[i] ?? 0) + (i === 0 ? local : 0);
        const usage = tier.store.usage?.();
        const circuit = tier.circuit;
        return {
          name: tier.name,
          reads,
          hits,
          hitRatio: ratio(hits, reads),
          errors: this.tierErrors[i] ?? 0,
          entries: usage?.entries,
          bytes: usage?.bytes,
          circuit,
          circuitOpen: circuit === 'open',
        };
      }),
    };
  }
}

/** The ratio, or 0 when there is nothing to divide. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
