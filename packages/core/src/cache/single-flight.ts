/**
 * One promise per key while work for that key runs: callers that arrive meanwhile share it,
 * value or error. The key is freed when the work settles.
 *
 * @example
 * ```ts
 * const flights = new SingleFlight()
 * await Promise.all([flights.run('k', load), flights.run('k', load)]) // load ran once
 * ```
 */
export class SingleFlight<T = unknown> {
  readonly #running = new Map<string, Promise<T>>();

  /** The work under way for `key`, if any. */
  get(key: string): Promise<T> | undefined {
    return this.#running.get(key);
  }

  /** Joins the work under way for `key`, or starts `work`. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running) return running;
    const promise = work().finally(() => {
      if (this.#running.get(key) === promise) this.#running.delete(key);
    });
    this.#running.set(key, promise);
    return promise;
  }

  /** Lets the next caller of `key` start new work; the work under way still settles for those who joined it. */
  forget(key: string): void {
    this.#running.delete(key);
  }

  get size(): number {
    return this.#running.size;
  }
}
