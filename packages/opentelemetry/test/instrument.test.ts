import { hasSubscribers } from 'node:diagnostics_channel';
import { createCache, manualClock, memoryStore } from '@cachette/core';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chaosStore } from '../../../test/helpers/chaos-store.js';
import { type Instrumentation, type InstrumentOptions, instrument } from '../src/index.js';
import { collector, contextManager, pointValue, sharedMapStore } from './collector.js';

const EVENTS = ['hit', 'miss', 'load', 'fallback', 'set', 'delete', 'tags', 'clear', 'error', 'circuit'];

describe('instrument()', () => {
  let otel: ReturnType<typeof collector>;
  let active: Instrumentation | undefined;
  beforeEach(() => {
    otel = collector();
  });
  afterEach(async () => {
    active?.unsubscribe();
    active = undefined;
    await otel.shutdown();
  });
  const start = (options: Parameters<typeof instrument>[0] = {}) => {
    active = instrument({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider, ...options });
    return active;
  };

  it('listens to nothing until called, and to nothing again after unsubscribe', async () => {
    expect(EVENTS.some((e) => hasSubscribers(`cachette:${e}`))).toBe(false);
    const handle = start();
    expect(EVENTS.every((e) => hasSubscribers(`cachette:${e}`))).toBe(true);
    handle.unsubscribe();
    handle.unsubscribe();
    expect(EVENTS.some((e) => hasSubscribers(`cachette:${e}`))).toBe(false);
    const cache = createCache();
    await cache.getOrSet('k', () => 1);
    const metrics = await otel.metrics();
    expect(pointValue(metrics.get('cachette.misses'))).toBeUndefined();
    expect(pointValue(metrics.get('cachette.loads'))).toBeUndefined();
  });

  it('counts hits by tier, misses, loads, sets and invalidations', async () => {
    start({ attributes: { 'service.name': 'shop' } });
    const cache = createCache({ tiers: [{ store: memoryStore() }, { store: sharedMapStore() }] });
    await cache.getOrSet('a', () => 1, { tags: ['t'] });
    await cache.get('a');
    await cache.get('a');
    await cache.get('nope');
    await cache.set('b', 2);
    await cache.delete('b');
    await cache.deleteByTag('t', 'u');
    await cache.clear();
    // a second process's view: the value is only in the shared tier
    const shared = sharedMapStore();
    const two = createCache({ tiers: [{ store: memoryStore() }, { store: shared }] });
    await two.set('c', 3);
    const fresh = createCache({ tiers: [{ store: memoryStore() }, { store: shared }] });
    await fresh.get('c');

    const m = await otel.metrics();
    expect(pointValue(m.get('cachette.hits'), { 'cachette.tier': 0, 'cachette.stale': false, 'service.name': 'shop' })).toBe(2);
    expect(pointValue(m.get('cachette.hits'), { 'cachette.tier': 1 })).toBe(1);
    expect(pointValue(m.get('cachette.misses'))).toBe(2);
    expect(pointValue(m.get('cachette.loads'), { 'cachette.outcome': 'ok', 'cachette.background': false })).toBe(1);
    expect(pointValue(m.get('cachette.sets'))).toBe(2);
    expect(pointValue(m.get('cachette.invalidations'), { 'cachette.kind': 'delete' })).toBe(1);
    expect(pointValue(m.get('cachette.invalidations'), { 'cachette.kind': 'tag', 'cachette.mode': 'delete' })).toBe(2);
    expect(pointValue(m.get('cachette.invalidations'), { 'cachette.kind': 'clear' })).toBe(1);
  });

  it('records load time in a histogram, and stale answers by reason', async () => {
    start();
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1m', staleWhileRevalidate: '1h', staleIfError: '1h' });
    await cache.getOrSet('k', async () => {
      await clock.advance(120);
      return 'v1';
    });
    await clock.advance(61_000);
    // stale: answered at once, one refresh in the background
    expect(await cache.getOrSet('k', () => 'v2')).toBe('v1');
    await cache.getOrSet('e', () => 'x', { ttl: '1m', staleWhileRevalidate: 0 });
    await clock.advance(61_000);
    // past freshness and SWR, within stale-if-error: the failing loader is answered by the stale value
    expect(
      await cache.getOrSet(
        'e',
        () => {
          throw new Error('db down');
        },
        { staleWhileRevalidate: 0 },
      ),
    ).toBe('x');

    const m = await otel.metrics();
    const duration = m.get('cachette.load.duration');
    expect(duration?.descriptor.unit).toBe('ms');
    const points = (duration?.dataPoints ?? []) as Array<{
      attributes: Record<string, unknown>;
      value: { count: number; sum: number; max?: number };
    }>;
    const ok = points.find((p) => p.attributes['cachette.outcome'] === 'ok' && p.attributes['cachette.background'] === false);
    expect(ok?.value.max).toBe(120);
    expect(pointValue(duration, { 'cachette.outcome': 'error' })).toBe(1);
    expect(pointValue(m.get('cachette.stale_answers'), { 'cachette.reason': 'revalidate' })).toBe(1);
    expect(pointValue(m.get('cachette.stale_answers'), { 'cachette.reason': 'error' })).toBe(1);
    expect(pointValue(m.get('cachette.hits'), { 'cachette.stale': true })).toBe(1);
  });

  it('counts store errors and shows the circuit breaker state', async () => {
    start();
    const l2 = chaosStore(sharedMapStore());
    const cache = createCache({ tiers: [{ store: memoryStore() }, { store: l2 }], circuitBreaker: { failures: 2, duration: '1h' } });
    l2.mode = 'throw';
    await cache.get('a');
    await cache.get('b');
    let m = await otel.metrics();
    expect(
      pointValue(m.get('cachette.store.errors'), {
        'cachette.tier': 'chaos(shared-map)',
        'cachette.operation': 'get',
        'error.type': 'E_STORE_ERROR',
      }),
    ).toBe(2);
    expect(pointValue(m.get('cachette.circuit.open'), { 'cachette.tier': 'chaos(shared-map)' })).toBe(1);
    expect(pointValue(m.get('cachette.circuit.changes'), { 'cachette.state': 'open' })).toBe(1);
    expect(cache.stats().tiers[1]?.circuitOpen).toBe(true);
    m = await otel.metrics();
    expect(pointValue(m.get('cachette.circuit.open'), { 'cachette.tier': 'chaos(shared-map)' })).toBe(1);
  });

  describe('spans', () => {
    const manager = contextManager();
    beforeEach(() => {
      context.setGlobalContextManager(manager);
    });
    afterEach(() => {
      context.disable();
    });

    it('a load is a span under the request that ran it, placed by its duration; a failed one is an error', async () => {
      start();
      const tracer = otel.tracerProvider.getTracer('app');
      const clock = manualClock();
      const cache = createCache({ clock });
      await tracer.startActiveSpan('GET /products/1', async (request) => {
        await cache.getOrSet('product:1', async () => {
          await clock.advance(250);
          return 'lamp';
        });
        await cache.get('product:1');
        await cache
          .getOrSet('broken', () => {
            throw new TypeError('no such table');
          })
          .catch(() => undefined);
        request.end();
      });
      const spans = otel.spans();
      const parent = spans.find((s) => s.name === 'GET /products/1');
      const loads = spans.filter((s) => s.name === 'cachette.load');
      expect(loads).toHaveLength(2);
      for (const load of loads) expect(load.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
      const [ok, failed] = loads;
      expect((ok?.duration[0] ?? 0) * 1_000 + (ok?.duration[1] ?? 0) / 1e6).toBeCloseTo(250, 0);
      expect(ok?.attributes['cachette.key']).toBeUndefined();
      expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such table' });
      expect(failed?.events.map((e) => e.name)).toEqual(['exception']);
      expect(parent?.events.map((e) => e.name)).toEqual(['cachette.miss', 'cachette.hit', 'cachette.miss']);
      expect(parent?.events[1]?.attributes).toEqual({ 'cachette.tier': 0, 'cachette.stale': false });
    });

    it('keys only with recordKeys; no spans or events when turned off', async () => {
      start({ recordKeys: true });
      const tracer = otel.tracerProvider.getTracer('app');
      const cache = createCache();
      await tracer.startActiveSpan('job', async (span) => {
        await cache.getOrSet('user:7', () => 'ann');
        span.end();
      });
      let spans = otel.spans();
      expect(spans.find((s) => s.name === 'cachette.load')?.attributes['cachette.key']).toBe('user:7');
      expect(spans.find((s) => s.name === 'job')?.events[0]?.attributes).toEqual({ 'cachette.key': 'user:7' });
      active?.unsubscribe();
      start({ spans: false, spanEvents: false });
      await tracer.startActiveSpan('job2', async (span) => {
        await cache.getOrSet('user:8', () => 'bob');
        span.end();
      });
      spans = otel.spans();
      expect(spans.filter((s) => s.name === 'cachette.load')).toHaveLength(1);
      expect(spans.find((s) => s.name === 'job2')?.events).toEqual([]);
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });

  it('a failing meter never breaks the cache', async () => {
    const throwing = {
      getMeter: () => {
        const instrument = () => ({
          add: () => {
            throw new Error('exporter bug');
          },
          record: () => {
            throw new Error('exporter bug');
          },
          addCallback: () => undefined,
          removeCallback: () => undefined,
        });
        return { createObservableCounter: instrument, createHistogram: instrument, createObservableGauge: instrument };
      },
    } as unknown as InstrumentOptions['meterProvider'];
    active = instrument({ meterProvider: throwing, tracerProvider: otel.tracerProvider });
    const cache = createCache();
    expect(await cache.getOrSet('k', () => 1)).toBe(1);
    expect(await cache.get('k')).toBe(1);
    expect(cache.stats().hits).toBe(1);
  });
});
