/** Counters since the cache was made. */
export interface CacheStats {
  hits: number;
  staleHits: number;
  misses: number;
  sets: number;
  deletes: number;
  loads: number;
  loadErrors: number;
  fallbacks: number;
  errors: number;
  /** Per tier: hits, errors, and whether its breaker is open now. */
  tiers: Array<{ name: string; hits: number; errors: number; circuitOpen: boolean }>;
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
  fallbacks = 0;
  errors = 0;
  readonly tierHits: number[];
  readonly tierErrors: number[];

  constructor(tiers: number) {
    this.tierHits = new Array<number>(tiers).fill(0);
    this.tierErrors = new Array<number>(tiers).fill(0);
  }
}
