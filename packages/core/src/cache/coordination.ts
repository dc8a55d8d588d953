/**
 * A message one process sends the others so that their memory tiers stay coherent.
 * It carries store keys, never values.
 */
export type BusMessage =
  /**
   * `at`: values of these keys made at or after this instant are newer than the change (a set
   * sends its new value's `createdAt`; a delete the instant after it ran). Absent: none is.
   */
  | { type: 'delete'; keys: string[]; at?: number }
  | { type: 'tags'; marks: string[]; mode: 'delete' | 'expire'; at: number }
  | { type: 'clear'; prefix: string; mark: string; at: number }
  /**
   * Made by a bus itself, never sent: its subscription was lost and is back, so messages sent
   * meanwhile were missed. The cache drops what its memory tiers hold.
   */
  | { type: 'resync' };

/**
 * Carries invalidations between processes that share a tier (Redis pub/sub in
 * `@cachette/redis`). A bus never echoes a process's own messages back to it.
 *
 * @example
 * ```ts
 * const cache = createCache({ tiers, bus: redisBus({ url }) })
 * ```
 */
export interface CacheBus {
  publish(message: BusMessage): Promise<void>;
  subscribe(handler: (message: BusMessage) => void): Promise<void> | void;
  disconnect?(): Promise<void>;
}

/**
 * A lock across processes, so that one loader runs per key in a whole cluster.
 * `acquire` resolves to a release function, or to undefined when `wait` ms passed first.
 *
 * @example
 * ```ts
 * const cache = createCache({ tiers, lock: redisLock({ url }) })
 * ```
 */
export interface CacheLock {
  acquire(key: string, options: { ttl: number; wait: number }): Promise<(() => Promise<void>) | undefined>;
  /** Closes what the lock opened; `cache.disconnect()` calls it. */
  disconnect?(): Promise<void>;
}
