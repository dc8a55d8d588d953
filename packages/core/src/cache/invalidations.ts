/** How many invalidated names are remembered; past that, older work is judged invalidated. */
const MAX_REMEMBERED = 10_000;

/**
 * Invalidation epochs, so that work begun before an invalidation never lands after it: a
 * back-fill of a value read from a lower tier, or a loader's result. Every invalidation (a key
 * set or deleted, a tag or namespace mark, here or heard on the bus) takes the next epoch and
 * records it, with the instant it was made, against each name it touched. Work takes `epoch`
 * when it starts and asks `unchangedSince` before it writes. The epoch orders events in this
 * process, whatever the clocks of others; the instant lets a value made by the invalidating
 * write itself (a set whose bus message arrived after the read began) still land.
 *
 * @example
 * ```ts
 * const since = invalidations.begin()
 * const entry = await sharedTier.get(key)
 * if (invalidations.unchangedSince(since, key, marks)) memoryTier.set(key, entry)
 * invalidations.end()
 * ```
 */
export class Invalidations {
  #epoch = 0;
  /** Work begun before this epoch is judged invalidated: the names of that time are forgotten. */
  #floor = 0;
  /** Name → epoch and instant of its last invalidation, oldest first. */
  readonly #last = new Map<string, { epoch: number; at: number }>();
  /** Work begun and not yet ended; while there is none, nothing needs remembering. */
  #running = 0;

  /** Work begins: returns the epoch to judge it by, and counts it until `end()`. */
  begin(): number {
    this.#running++;
    return this.#epoch;
  }

  /** Work ends; once none runs, what was remembered for it is let go. */
  end(): void {
    if (--this.#running > 0) return;
    this.#running = 0;
    // clear() makes a new table even when empty: a read that saw no invalidation pays nothing
    if (this.#last.size > 0) this.#last.clear();
    this.#floor = this.#epoch;
  }

  /**
   * Records an invalidation of `names` (store keys, tag marks or clear marks) made at instant `at`
   * (`Infinity` when unknown: nothing made before it may land).
   */
  record(names: readonly string[], at: number): void {
    const epoch = ++this.#epoch;
    // no work under way: none can land late, and work begun later takes a newer epoch
    if (this.#running === 0) return;
    for (const name of names) {
      this.#last.delete(name);
      this.#last.set(name, { epoch, at });
    }
    while (this.#last.size > MAX_REMEMBERED) {
      const [oldest, last] = this.#last.entries().next().value as [string, { epoch: number }];
      this.#last.delete(oldest);
      this.#floor = last.epoch;
    }
  }

  /** Records an invalidation of everything: work begun before it never lands. */
  invalidateAll(): void {
    this.#floor = ++this.#epoch;
    this.#last.clear();
  }

  /**
   * True when nothing that touches `key` or any of `marks` was invalidated since epoch `since` —
   * or, given `madeAt` (the instant the value was made), nothing made after that instant.
   */
  unchangedSince(since: number, key: string, marks: readonly string[], madeAt = Number.NEGATIVE_INFINITY): boolean {
    if (since === this.#epoch) return true;
    if (since < this.#floor) return false;
    if (this.#blocks(key, since, madeAt)) return false;
    for (const mark of marks) if (this.#blocks(mark, since, madeAt)) return false;
    return true;
  }

  #blocks(name: string, since: number, madeAt: number): boolean {
    const last = this.#last.get(name);
    return last !== undefined && last.epoch > since && madeAt < last.at;
  }
}

/** Lets later callers of `keys` start afresh instead of joining work that an invalidation made stale. */
export function detach(keys: readonly string[], ...flights: ReadonlyArray<{ forget(key: string): void }>): void {
  for (const flight of flights) for (const key of keys) flight.forget(key);
}
