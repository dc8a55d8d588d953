/** A timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Where the cache reads the time and sets its timers. Inject a {@link manualClock} in tests
 * so that TTL, stale-while-revalidate and timeouts move with `advance()`, not with sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds; the timer must not keep the process alive. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

// Date.now() costs ~100 ns on virtual machines (kvm-clock), more than a memory-tier hit;
// reuse one reading for at most 1 ms (a timer clears it) and at most 256 reads, so that a
// long run of microtasks, where timers cannot fire, still sees time move.
let coarseNow = 0;
let coarseReads = 0;
let forgetting = false;
const forgetNow = () => {
  coarseNow = 0;
  forgetting = false;
};

function readNow(): number {
  if (coarseNow !== 0 && ++coarseReads < 256) return coarseNow;
  coarseNow = Date.now();
  coarseReads = 0;
  if (!forgetting) {
    forgetting = true;
    setTimeout(forgetNow, 1).unref();
  }
  return coarseNow;
}

/**
 * The real clock: `Date.now()` read at most about once a millisecond, and unref'd Node timers.
 *
 * @example
 * ```ts
 * createCache({ clock: systemClock })
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: readNow,
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout(handle: TimerHandle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
});

/** A {@link Clock} that only moves when told to. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order, and lets pending promises settle. */
  advance(ms: number): Promise<void>;
  /** Moves time to an absolute instant (never backwards). */
  set(now: number): Promise<void>;
  /** How many timers are waiting. */
  readonly pendingTimers: number;
}

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock for tests: time stands still until `advance()`; timers fire in order as time passes.
 *
 * @example
 * ```ts
 * const clock = manualClock()
 * const cache = createCache({ clock, ttl: '1m' })
 * await cache.set('a', 1)
 * await clock.advance(61_000)
 * await cache.get('a') // undefined
 * ```
 */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  let nextId = 1;
  const timers: Timer[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function moveTo(target: number) {
    // let work already under way reach its timers before time moves
    await settle();
    for (;;) {
      timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = timers[0];
      if (!due || due.at > target) break;
      timers.shift();
      now = Math.max(now, due.at);
      due.fn();
      await settle();
    }
    now = Math.max(now, target);
    await settle();
  }
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { id: nextId++, at: now + Math.max(0, ms), fn };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      const index = timers.findIndex((t) => t.id === handle);
      if (index >= 0) timers.splice(index, 1);
    },
    advance: (ms) => moveTo(now + ms),
    set: (instant) => moveTo(instant),
    get pendingTimers() {
      return timers.length;
    },
  };
}
