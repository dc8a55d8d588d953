export type { RedisClient, RedisClusterOptionsInput, RedisConnection } from './connection.js';
export { type RedisBusOptions, redisBus } from './redis-bus.js';
export { type RedisLockOptions, redisLock } from './redis-lock.js';
export { type RedisStoreOptions, redisStore } from './redis-store.js';
