import type { Item, Product } from '../workload.js';

/** A loader as every library under test accepts it. */
export type Load = () => Promise<Product>;

/**
 * One library, set up for one scenario. The batch methods loop inside the adapter, so each
 * library's hot call site sees only that library (no shared, megamorphic loop) and the timer
 * is read once per 1,000 calls, not once per call.
 */
export interface Peer {
  /** Stable id, for targets; `name` is for people. */
  readonly id: string;
  readonly name: string;
  /** Stores every item (before any measurement). */
  fill(items: readonly Item[]): Promise<void>;
  /** One awaited `get` per key, in order; returns how many were hits. */
  getAll(keys: readonly string[]): Promise<number>;
  /** One awaited `getOrSet` (or `wrap`) per key; returns how many answers were defined. */
  getOrSetAll?(keys: readonly string[], load: Load): Promise<number>;
  /** One `getOrSet` (or `wrap`) call, for the stampede. */
  getOrSet?(key: string, load: Load): Promise<unknown>;
  /** One `get`, for per-call latency on a remote tier. */
  get(key: string): Promise<unknown>;
  close(): Promise<void>;
}
