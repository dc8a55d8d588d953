import type { Histogram, Meter } from '@opentelemetry/api';
import { Tally } from './tally.js';

/** The instruments cachette reports to. Names follow OpenTelemetry's dotted style, units UCUM. */
export interface CacheMeters {
  hits: Tally;
  misses: Tally;
  staleAnswers: Tally;
  loads: Tally;
  loadDuration: Histogram;
  sets: Tally;
  invalidations: Tally;
  storeErrors: Tally;
  circuitChanges: Tally;
  circuitOpen: Tally;
  /** Stops every observable instrument's reporting. */
  close(): void;
}

const LOAD_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];

/** Makes every instrument on `meter`; counters are observable, fed from tallies. */
export function createMeters(meter: Meter): CacheMeters {
  const counter = (name: string, description: string, unit: string) =>
    new Tally(meter.createObservableCounter(name, { description, unit }));
  const tallies = {
    hits: counter('cachette.hits', 'Values served, by tier (0 = first) and staleness', '{hit}'),
    misses: counter('cachette.misses', 'Reads no tier could answer', '{miss}'),
    staleAnswers: counter(
      'cachette.stale_answers',
      'Stale values served: while revalidating (reason=revalidate) or for a failing or slow loader (reason=error)',
      '{answer}',
    ),
    loads: counter('cachette.loads', 'Loader runs, by outcome and whether in the background', '{load}'),
    sets: counter('cachette.sets', 'Values written to the tiers', '{set}'),
    invalidations: counter(
      'cachette.invalidations',
      'Keys deleted (kind=delete), tags deleted or expired (kind=tag), namespaces cleared (kind=clear)',
      '{invalidation}',
    ),
    storeErrors: counter(
      'cachette.store.errors',
      'Store calls that failed, timed out or returned corrupt data; the cache went on without them',
      '{error}',
    ),
    circuitChanges: counter('cachette.circuit.changes', 'Circuit breakers opening and closing', '{change}'),
    circuitOpen: new Tally(
      meter.createObservableGauge('cachette.circuit.open', { description: '1 while a tier is skipped by its circuit breaker, else 0' }),
    ),
  };
  const loadDuration = meter.createHistogram('cachette.load.duration', {
    description: 'How long loaders ran',
    unit: 'ms',
    advice: { explicitBucketBoundaries: LOAD_BUCKETS },
  });
  return {
    ...tallies,
    loadDuration,
    close: () => {
      for (const tally of Object.values(tallies)) tally.close();
    },
  };
}
