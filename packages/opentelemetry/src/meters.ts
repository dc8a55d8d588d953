import type { Counter, Histogram, Meter, ObservableGauge } from '@opentelemetry/api';

/** The instruments cachette reports to. Names follow OpenTelemetry's dotted style, units UCUM. */
export interface CacheMeters {
  hits: Counter;
  misses: Counter;
  staleAnswers: Counter;
  loads: Counter;
  loadDuration: Histogram;
  sets: Counter;
  invalidations: Counter;
  storeErrors: Counter;
  circuitChanges: Counter;
  circuitOpen: ObservableGauge;
}

/** Makes every instrument on `meter`. */
export function createMeters(meter: Meter): CacheMeters {
  return {
    hits: meter.createCounter('cachette.hits', { description: 'Values served, by tier (0 = first) and staleness', unit: '{hit}' }),
    misses: meter.createCounter('cachette.misses', { description: 'Reads no tier could answer', unit: '{miss}' }),
    staleAnswers: meter.createCounter('cachette.stale_answers', {
      description: 'Stale values served: while revalidating (reason=revalidate) or for a failing or slow loader (reason=error)',
      unit: '{answer}',
    }),
    loads: meter.createCounter('cachette.loads', { description: 'Loader runs, by outcome and whether in the background', unit: '{load}' }),
    loadDuration: meter.createHistogram('cachette.load.duration', {
      description: 'How long loaders ran',
      unit: 'ms',
      advice: { explicitBucketBoundaries: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000] },
    }),
    sets: meter.createCounter('cachette.sets', { description: 'Values written to the tiers', unit: '{set}' }),
    invalidations: meter.createCounter('cachette.invalidations', {
      description: 'Keys deleted (kind=delete), tags deleted or expired (kind=tag), namespaces cleared (kind=clear)',
      unit: '{invalidation}',
    }),
    storeErrors: meter.createCounter('cachette.store.errors', {
      description: 'Store calls that failed, timed out or returned corrupt data; the cache went on without them',
      unit: '{error}',
    }),
    circuitChanges: meter.createCounter('cachette.circuit.changes', {
      description: 'Circuit breakers opening and closing',
      unit: '{change}',
    }),
    circuitOpen: meter.createObservableGauge('cachette.circuit.open', {
      description: '1 while a tier is skipped by its circuit breaker, else 0',
    }),
  };
}
