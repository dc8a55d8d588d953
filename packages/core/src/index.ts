export { Cache } from './cache/cache.js';
export type { BusMessage, CacheBus, CacheLock } from './cache/coordination.js';
export { createCache } from './cache/create-cache.js';
export type { Entry } from './cache/entry.js';
export type { CacheEventName, CacheEvents } from './cache/events.js';
export { fragmentKey } from './cache/fragment.js';
export { isCache } from './cache/is-cache.js';
export type { Loader, LoaderContext } from './cache/load.js';
export type { CacheOptions, EntryOptions, GetOrSetOptions, TierOptions } from './cache/options.js';
export { Outbox } from './cache/outbox.js';
export { SingleFlight } from './cache/single-flight.js';
export type { CacheStats } from './cache/stats.js';
export {
  CachetteError,
  CoordinationError,
  ErrorCode,
  InvalidOptionError,
  LoaderTimeoutError,
  SerializationError,
  StoreError,
} from './errors.js';
export { purgeUrl } from './page/purge.js';
export type { PageCacheOptions } from './page/types.js';
export { type ByteSize, parseBytes } from './stores/byte-size.js';
export { type MemoryStoreOptions, memoryStore } from './stores/memory-store.js';
export type { CacheStore, StoreContext } from './stores/store.js';
export { type Clock, type ManualClock, manualClock, systemClock } from './time/clock.js';
export { type Duration, parseDuration } from './time/duration.js';
