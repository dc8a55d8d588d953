import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { CacheEventName, CacheEvents } from '@cachette/core';
import type { Attributes, MeterProvider, TracerProvider } from '@opentelemetry/api';
import { requireApi } from './api.js';
import { type CacheMeters, createMeters } from './meters.js';
import { type CacheSpans, createSpans } from './spans.js';

/**
 * Options of {@link instrument}.
 *
 * @example
 * ```ts
 * instrument({ meterProvider, tracerProvider, spanEvents: false, attributes: { 'cachette.cache': 'pages' } })
 * ```
 */
export interface InstrumentOptions {
  /** Where the meters come from. Default: the global provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
  /** Where the spans go. Default: the global provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** A `cachette.load` span for every loader run, child of the active span. Default `true`. */
  spans?: boolean;
  /** Hits, misses, stale answers and store errors as events on the active span. Default `true`. */
  spanEvents?: boolean;
  /** Put the cache key on spans and span events (`cachette.key`); keys may hold personal data. Default `false`. */
  recordKeys?: boolean;
  /** Added to every measurement, e.g. `{ 'cachette.cache': 'products' }`. Default none. */
  attributes?: Attributes;
}

/**
 * What {@link instrument} returns: a way to stop.
 *
 * @example
 * ```ts
 * const otel: Instrumentation = instrument()
 * process.on('SIGTERM', () => otel.unsubscribe())
 * ```
 */
export interface Instrumentation {
  /** Stops listening; the cache's events cost nothing again once no one listens. Safe to call twice. */
  unsubscribe(): void;
}

const NAME = '@cachette/opentelemetry';

/**
 * Reports every cache in this process to OpenTelemetry, from its `node:diagnostics_channel`
 * events (`cachette:<event>`): counters of hits, misses, stale answers, loads, sets,
 * invalidations and store errors, a histogram of load time, a gauge of open circuit breakers,
 * and a span per loader run. Nothing listens until this is called, and an unobserved cache
 * builds no event payloads.
 *
 * @example
 * ```ts
 * import { instrument } from '@cachette/opentelemetry'
 * const otel = instrument({ attributes: { 'service.name': 'shop' } }) // after the SDK is started
 * // …
 * otel.unsubscribe()
 * ```
 */
export function instrument(options: InstrumentOptions = {}): Instrumentation {
  const api = requireApi();
  const meters = createMeters((options.meterProvider ?? api.metrics.getMeterProvider()).getMeter(NAME));
  const spans = createSpans(api, (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(NAME), options);
  const subscriptions = Object.entries(handlers(meters, spans, Object.freeze({ ...options.attributes }))).map(([event, handle]) => {
    const name = `cachette:${event}`;
    // a throwing subscriber would surface as an uncaught exception in the cache's caller
    const listener = (message: unknown) => {
      try {
        (handle as (m: unknown) => void)(message);
      } catch {
        // telemetry must never break caching
      }
    };
    subscribe(name, listener);
    return { name, listener };
  });
  let active = true;
  return {
    unsubscribe() {
      if (!active) return;
      active = false;
      for (const { name, listener } of subscriptions) unsubscribe(name, listener);
      meters.close();
    },
  };
}

/**
 * What each event does. Counters add to tallies under a short series id; a series' attributes
 * are built once, the first time it is seen, so a hit allocates nothing here.
 */
function handlers(meters: CacheMeters, spans: CacheSpans, base: Attributes): { [E in CacheEventName]: (event: CacheEvents[E]) => void } {
  const loadAttributes = new Map<string, Attributes>();
  return {
    hit({ tier, stale, key }) {
      meters.hits.add(`${tier}${stale ? 's' : ''}`, 1, () => ({ ...base, 'cachette.tier': tier, 'cachette.stale': stale }));
      if (stale) meters.staleAnswers.add('revalidate', 1, () => ({ ...base, 'cachette.reason': 'revalidate' }));
      spans.event('cachette.hit', key, () => ({ 'cachette.tier': tier, 'cachette.stale': stale }));
    },
    miss({ key }) {
      meters.misses.add('', 1, () => base);
      spans.event('cachette.miss', key, () => ({}));
    },
    load(event) {
      const id = `${event.ok ? 'ok' : 'error'}${event.background ? ' bg' : ''}`;
      let attributes = loadAttributes.get(id);
      if (!attributes) {
        attributes = Object.freeze({ ...base, 'cachette.background': event.background, 'cachette.outcome': event.ok ? 'ok' : 'error' });
        loadAttributes.set(id, attributes);
      }
      const known = attributes;
      meters.loads.add(id, 1, () => known);
      meters.loadDuration.record(event.duration, known);
      spans.load(event);
    },
    fallback({ key, error }) {
      meters.staleAnswers.add('error', 1, () => ({ ...base, 'cachette.reason': 'error' }));
      spans.event('cachette.fallback', key, () => ({ 'error.type': errorType(error) }));
    },
    set() {
      meters.sets.add('', 1, () => base);
    },
    delete({ keys }) {
      meters.invalidations.add('delete', keys.length, () => ({ ...base, 'cachette.kind': 'delete' }));
    },
    tags({ tags, mode }) {
      meters.invalidations.add(`tag ${mode}`, tags.length, () => ({ ...base, 'cachette.kind': 'tag', 'cachette.mode': mode }));
    },
    clear() {
      meters.invalidations.add('clear', 1, () => ({ ...base, 'cachette.kind': 'clear' }));
    },
    error({ error, operation, key, tier }) {
      const attributes = { 'cachette.tier': tier ?? 'none', 'cachette.operation': operation, 'error.type': errorType(error) };
      meters.storeErrors.add(JSON.stringify(attributes), 1, () => ({ ...base, ...attributes }));
      spans.event('cachette.store_error', key, () => attributes);
    },
    circuit({ tier, state }) {
      meters.circuitOpen.set(tier, state === 'open' ? 1 : 0, () => ({ ...base, 'cachette.tier': tier }));
      meters.circuitChanges.add(`${tier}\n${state}`, 1, () => ({ ...base, 'cachette.tier': tier, 'cachette.state': state }));
    },
  };
}

/** A short, low-cardinality name for an error: its code, else its class. */
function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}
