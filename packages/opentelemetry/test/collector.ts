import type { CacheStore } from '@cachette/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, MeterProvider, type MetricData, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A metric reader that collects when asked: the test's collector, no timers. */
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The official SDK's meter and tracer providers, read in memory. */
export function collector() {
  const reader = new PullReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return {
    meterProvider,
    tracerProvider,
    spans: () => exporter.getFinishedSpans(),
    /** Every metric collected now, by name. */
    async metrics(): Promise<Map<string, MetricData>> {
      const { resourceMetrics } = await reader.collect();
      const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
      return new Map(all.map((m) => [m.descriptor.name, m]));
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

/** The value of the data point whose attributes include `match` (sum, gauge; histograms give their count). */
export function pointValue(metric: MetricData | undefined, match: Record<string, unknown> = {}): number | undefined {
  const points = (metric?.dataPoints ?? []) as DataPoint<unknown>[];
  const point = points.find((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v));
  if (!point) return undefined;
  const value = point.value as number | { count: number };
  return typeof value === 'number' ? value : value.count;
}

/** Context propagation for the active span, as an application with the SDK has it. */
export function contextManager(): AsyncLocalStorageContextManager {
  return new AsyncLocalStorageContextManager().enable();
}

/** A store outside the process, as far as the cache knows: values are encoded, calls are timed out. */
export function sharedMapStore(): CacheStore {
  const map = new Map<string, unknown>();
  return {
    name: 'shared-map',
    shared: true,
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => map.delete(key),
  };
}
