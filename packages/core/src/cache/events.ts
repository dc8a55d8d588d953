import { channel } from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import type { CachetteError } from '../errors.js';

/** The events a cache emits, with their payloads. Keys are the caller's keys. */
export interface CacheEvents {
  /** A value was served. `tier` is where it was found (0 = first); `stale` when past freshness. */
  hit: { key: string; tier: number; stale: boolean };
  /** No tier had a usable value. */
  miss: { key: string };
  /** A value was written to the tiers. */
  set: { key: string; tags: readonly string[] };
  /** Keys were deleted. */
  delete: { keys: readonly string[] };
  /** Entries with these tags were deleted (`deleteByTag`, mode `delete`) or made stale (`expireByTag`, mode `expire`). */
  tags: { tags: readonly string[]; mode: 'delete' | 'expire' };
  /** A namespace was cleared. */
  clear: { namespace: string };
  /** A loader ran; `background` for stale-while-revalidate refreshes. */
  load: { key: string; background: boolean; ok: boolean; duration: number; error?: unknown };
  /** A stale value stood in for a loader that failed or timed out (stale-if-error). */
  fallback: { key: string; error: unknown };
  /** A store failed, timed out or returned a corrupt value; the cache went on without it. */
  error: { error: CachetteError; operation: string; key?: string; tier?: string };
  /** A tier's circuit breaker opened (tier skipped) or closed (tier back). */
  circuit: { tier: string; state: 'open' | 'closed' };
}

/** Names of {@link CacheEvents}. */
export type CacheEventName = keyof CacheEvents;

/**
 * Typed events, mirrored on `node:diagnostics_channel` as `cachette:<event>`. Payloads are only
 * built when someone listens, so an unobserved cache pays nothing on its hot path.
 */
export class CacheEventBus {
  readonly #emitter = new EventEmitter();
  /** Listener counts and channels, looked up by event name without building anything. */
  readonly #listening: Record<string, number> = {};
  readonly #channels: Record<string, Channel> = {};
  /** `hit`, the event of every read, without a lookup by name. */
  #hitListeners = 0;
  readonly #hitChannel: Channel = this.#channel('hit');

  on<E extends CacheEventName>(event: E, listener: (payload: CacheEvents[E]) => void): void {
    this.#emitter.on(event, listener);
    this.#counted(event);
  }

  off<E extends CacheEventName>(event: E, listener: (payload: CacheEvents[E]) => void): void {
    this.#emitter.off(event, listener);
    this.#counted(event);
  }

  /** `wants('hit')`, the check a memory-tier hit makes: two reads, no lookup by name. */
  get wantsHit(): boolean {
    return this.#hitListeners > 0 || this.#hitChannel.hasSubscribers;
  }

  #counted(event: CacheEventName): void {
    const count = this.#emitter.listenerCount(event);
    this.#listening[event] = count;
    if (event === 'hit') this.#hitListeners = count;
  }

  /** True when anything would receive `event`; check before building a payload. */
  wants(event: CacheEventName): boolean {
    return (this.#listening[event] ?? 0) > 0 || this.#channel(event).hasSubscribers;
  }

  emit<E extends CacheEventName>(event: E, payload: CacheEvents[E]): void {
    const ch = this.#channel(event);
    if (ch.hasSubscribers) ch.publish(payload);
    if (!this.#listening[event]) return;
    try {
      this.#emitter.emit(event, payload);
    } catch {
      // a throwing listener must not break the cache operation that emitted
    }
  }

  #channel(event: CacheEventName): Channel {
    let ch = this.#channels[event];
    if (!ch) {
      ch = channel(`cachette:${event}`);
      this.#channels[event] = ch;
    }
    return ch;
  }
}

type Channel = ReturnType<typeof channel>;
