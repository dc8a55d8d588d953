import type { CacheEvents } from '@cachette/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import type { OtelApi } from './api.js';
import type { InstrumentOptions } from './instrument.js';

/** What {@link instrument} does with traces. */
export interface CacheSpans {
  /** A `cachette.load` span, placed back in time by the load's duration. */
  load(event: CacheEvents['load']): void;
  /** An event on the active span, if there is one; `attributes` is only called then. */
  event(name: string, key: string | undefined, attributes: () => Attributes): void;
}

/** Span recording per the options; each part is a no-op when turned off. */
export function createSpans(api: OtelApi, tracer: Tracer, options: InstrumentOptions): CacheSpans {
  const recordKeys = options.recordKeys ?? false;
  const keyed = (key: string | undefined, attributes: Attributes): Attributes =>
    recordKeys && key !== undefined ? { ...attributes, 'cachette.key': key } : attributes;
  return {
    load:
      options.spans === false
        ? () => undefined
        : ({ key, background, ok, duration, error }) => {
            const end = Date.now();
            const span = tracer.startSpan('cachette.load', {
              kind: api.SpanKind.INTERNAL,
              startTime: end - duration,
              attributes: keyed(key, { ...options.attributes, 'cachette.background': background }),
            });
            if (!ok) {
              if (error instanceof Error) span.recordException(error);
              span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
            }
            span.end(end);
          },
    event:
      options.spanEvents === false
        ? () => undefined
        : (name, key, attributes) => {
            const span = api.trace.getActiveSpan();
            if (span?.isRecording()) span.addEvent(name, keyed(key, attributes()));
          },
  };
}
