import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { CacheStore } from './store.js';

/** What `keyvStore` reads of a Keyv 5 instance: a structural type, so that a Keyv from another copy of keyv fits. */
type KeyvInstance = Pick<Keyv, 'get' | 'store' | 'namespace' | 'useKeyPrefix'>;

/** Options of {@link keyvStore}. */
export interface KeyvStoreOptions {
  /** Name in events and stats. Default `keyv:<adapter>` (for example `keyv:redis`). */
  name?: string;
}

/**
 * A shared tier on any Keyv store: Redis, SQLite (Django's database cache), memcached,
 * Postgres… Pass a Keyv store adapter or a Keyv instance. Store failures reach the cache
 * (which reports them and skips the tier) instead of reading as misses.
 *
 * `clear()` on the cache only ever drops this namespace's keys: by scanning where the store
 * can iterate (Redis, SQLite, Postgres), and by a clear mark everywhere else (memcached).
 *
 * @example
 * ```ts
 * import KeyvRedis from '@keyv/redis'
 * createCache({ tiers: [
 *   { store: memoryStore(), ttl: '30s' },
 *   { store: keyvStore(new KeyvRedis('redis://127.0.0.1:6379')), ttl: '1h' },
 * ] })
 * ```
 */
export function keyvStore(storeOrKeyv: KeyvInstance | KeyvStoreAdapter, options: KeyvStoreOptions = {}): CacheStore {
  return new KeyvCacheStore(storeOrKeyv, options);
}

/**
 * A Keyv 5 instance, told by its shape rather than `instanceof`: the caller's Keyv is often
 * another copy of the package than ours. An adapter has no `store` of its own, nor hooks.
 */
function isKeyv(value: KeyvInstance | KeyvStoreAdapter): value is KeyvInstance {
  const candidate = value as Partial<Record<'get' | 'store' | 'hooks', unknown>>;
  return (
    typeof candidate.get === 'function' &&
    typeof candidate.store === 'object' &&
    candidate.store !== null &&
    typeof candidate.hooks === 'object' &&
    candidate.hooks !== null
  );
}

class KeyvCacheStore implements CacheStore {
  readonly name: string;
  readonly shared = true;
  readonly #keyv: Keyv;

  constructor(storeOrKeyv: KeyvInstance | KeyvStoreAdapter, options: KeyvStoreOptions) {
    // A Keyv of our own around the caller's store, so that their instance is left as it was
    // and failures throw here rather than read as misses (keyv's default).
    const source = isKeyv(storeOrKeyv) ? storeOrKeyv : undefined;
    const store = source ? source.store : storeOrKeyv;
    this.#keyv = new Keyv({
      ...(source ? { namespace: source.namespace, useKeyPrefix: source.useKeyPrefix } : {}),
      store,
      throwOnErrors: true,
      emitErrors: false,
      // entries reach the store as plain JSON data (the cache boxes Date, Buffer…), so plain
      // JSON is enough; keyv's default serializer walks every value again with a reviver
      serialize: JSON.stringify,
      deserialize: JSON.parse,
    });
    const adapter = (store as { constructor?: { name?: string } }).constructor?.name ?? 'store';
    this.name = options.name ?? `keyv:${adapter.replace(/^Keyv/, '').toLowerCase() || 'store'}`;
  }

  get(key: string): Promise<unknown> {
    return this.#keyv.get(key);
  }

  async set(key: string, value: unknown, ttl: number): Promise<void> {
    const ok = await this.#keyv.set(key, value, Math.max(1, Math.ceil(ttl)));
    if (ok === false) throw new Error(`the store refused to set ${key}`);
  }

  delete(key: string): Promise<boolean> {
    return this.#keyv.delete(key);
  }

  getMany(keys: readonly string[]): Promise<unknown[]> {
    return this.#keyv.getMany([...keys]);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    await this.#keyv.deleteMany([...keys]);
  }

  get clearPrefix(): ((prefix: string) => Promise<void>) | undefined {
    if (typeof this.#keyv.iterator !== 'function') return undefined;
    return (prefix) => this.#clearByScan(prefix);
  }

  async #clearByScan(prefix: string): Promise<void> {
    const iterator = this.#keyv.iterator?.(this.#keyv.namespace);
    if (!iterator) return;
    const doomed: string[] = [];
    for await (const [key] of iterator as AsyncGenerator<[string, unknown]>) {
      if (typeof key === 'string' && key.startsWith(prefix)) doomed.push(key);
    }
    if (doomed.length > 0) await this.#keyv.deleteMany(doomed);
  }

  async disconnect(): Promise<void> {
    await this.#keyv.disconnect();
  }
}
