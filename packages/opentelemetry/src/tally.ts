import type { Attributes, Observable, ObservableResult } from '@opentelemetry/api';

/**
 * Counts kept in plain numbers and handed to an observable instrument when the SDK collects.
 * A hit then costs one map lookup and one addition; the SDK's per-measurement work (hashing
 * the attributes) happens once per series per collection instead of once per event.
 */
export class Tally {
  readonly #series = new Map<string, { attributes: Attributes; value: number }>();
  readonly #instrument: Observable;
  readonly #observe = (result: ObservableResult) => {
    for (const { attributes, value } of this.#series.values()) result.observe(value, attributes);
  };

  constructor(instrument: Observable) {
    this.#instrument = instrument;
    instrument.addCallback(this.#observe);
  }

  /** Adds `n` to the series `id`; `attributes` is called only the first time a series is seen. */
  add(id: string, n: number, attributes: () => Attributes): void {
    let series = this.#series.get(id);
    if (!series) {
      series = { attributes: Object.freeze(attributes()), value: 0 };
      this.#series.set(id, series);
    }
    series.value += n;
  }

  /** Sets the series `id` to `value` (for gauges). */
  set(id: string, value: number, attributes: () => Attributes): void {
    this.add(id, value - (this.#series.get(id)?.value ?? 0), attributes);
  }

  /** Stops reporting. */
  close(): void {
    this.#instrument.removeCallback(this.#observe);
  }
}
