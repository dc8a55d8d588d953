import { type Cache, type CacheBus, type CacheStore, createCache, InvalidOptionError } from '@cachette/core';
import { redisBus, redisStore } from '@cachette/redis';
import { ErrorReply } from '@redis/client';
import { type Admin, openAdmin } from './admin.js';
import type { Invocation } from './args.js';
import { bounded } from './bounded.js';
import { type ConnectionSpec, describeConnection } from './connection-spec.js';
import { CliError } from './errors.js';
import { countSpaces, spaceExists } from './keyspace.js';

/** What a command works with: the checked command line, the admin line to Redis, the shared tier and the bus. */
export interface Session {
  readonly inv: Invocation;
  readonly admin: Admin;
  /** Builds the cache a command acts through; `tiers` go before the Redis tier. */
  cache(options?: { before?: CacheStore[]; logicalClear?: boolean }): Cache;
  /** Waits for every bus message to be sent; throws if a message or a store call failed (`E_FAILED`, `E_UNREACHABLE`). */
  settle(): Promise<void>;
  /** `E_NOT_FOUND` (with the versions that do exist) unless the namespace has keys here, or `--force`. */
  requireNamespace(path: string): Promise<void>;
  /** How many processes listen on the bus channel now. */
  listeners(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Connects, within `--timeout`, to the Redis the invocation names; the shared tier and the bus
 * go through `@cachette/redis`, in the same namespace and version as the application's cache.
 */
export async function openSession(inv: Invocation): Promise<Session> {
  const spec = inv.connection as ConnectionSpec;
  // cluster and sentinel go to @cachette/redis as given; check first that it takes them
  const passThrough = 'url' in spec ? undefined : supported(spec, inv.channel);
  let admin: Admin;
  try {
    admin = await openAdmin(spec, inv.timeout);
  } catch (error) {
    await passThrough?.disconnect();
    throw error;
  }
  const parts = passThrough ?? {
    store: redisStore({ client: admin.client as NonNullable<Admin['client']> }),
    bus: redisBus({ client: admin.client as NonNullable<Admin['client']>, channel: inv.channel }),
    disconnect: async () => undefined,
  };
  const failures: unknown[] = [];
  const pending: Promise<unknown>[] = [];
  const bus: CacheBus = {
    publish(message) {
      const sent = parts.bus.publish(message);
      pending.push(sent.catch((error: unknown) => failures.push(error)));
      return sent;
    },
    // the command speaks on the bus; it has no memory tier to keep coherent
    subscribe: () => undefined,
  };
  return {
    inv,
    admin,
    cache({ before = [], logicalClear = false } = {}) {
      // without clearPrefix the cache clears by its clear mark alone: no SCAN, no UNLINK
      const store = logicalClear ? withoutClearPrefix(parts.store) : parts.store;
      const [root, ...children] = inv.namespace;
      let cache = createCache({
        namespace: root,
        version: inv.version,
        tiers: [...before.map((s) => ({ store: s })), { store }],
        bus,
        storeTimeout: inv.timeout,
      });
      cache.on('error', ({ error }) => failures.push(error));
      for (const child of children) cache = cache.namespace(child);
      return cache;
    },
    async settle() {
      await Promise.all(pending);
      if (failures.length > 0) throw failed([...new Set(failures)]);
    },
    async requireNamespace(path) {
      if (inv.force || (await spaceExists(admin, path))) return;
      const root = inv.namespace[0] as string;
      const others = (await countSpaces(admin, root)).map((s) => s.path);
      const hint = others.length > 0 ? `; found ${others.join(', ')} (check --version)` : ' (check --namespace, or --force)';
      throw new CliError('E_NOT_FOUND', `namespace ${path} has no keys in ${describeConnection(spec)}${hint}`);
    },
    async listeners() {
      let total = 0;
      for (const node of admin.nodes) {
        const counts = await bounded(node.pubSubNumSub(inv.channel), inv.timeout, 'PUBSUB NUMSUB');
        total += Number(counts[inv.channel] ?? 0);
      }
      return total;
    },
    async close() {
      await Promise.allSettled([parts.bus.disconnect?.(), parts.store.disconnect?.(), parts.disconnect()]);
      await admin.close();
    },
  };
}

/** The store and bus for a cluster or sentinel spec, or `E_UNSUPPORTED` if this @cachette/redis does not take it. */
function supported(spec: ConnectionSpec, channel: string): { store: CacheStore; bus: CacheBus; disconnect(): Promise<void> } {
  const form = 'cluster' in spec ? 'Redis Cluster (--cluster)' : 'Sentinel (--sentinel)';
  let store: CacheStore | undefined;
  try {
    // the typed shape of this @cachette/redis may not name these forms yet; it checks them at run time
    store = redisStore(spec as unknown as Parameters<typeof redisStore>[0]);
    const bus = redisBus({ ...spec, channel } as unknown as Parameters<typeof redisBus>[0]);
    return { store, bus, disconnect: async () => undefined };
  } catch (cause) {
    void store?.disconnect?.();
    if (cause instanceof InvalidOptionError) {
      throw new CliError('E_UNSUPPORTED', `${form} is not supported by this @cachette/redis yet (${cause.message})`, { cause });
    }
    throw cause;
  }
}

/**
 * What went wrong, as one error: `E_FAILED` when Redis refused (its error replies), else
 * `E_UNREACHABLE` (timeouts, lost connections).
 */
function failed(failures: readonly unknown[]): CliError {
  const why = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ');
  const refused = failures.every((f) => causes(f).some((c) => c instanceof ErrorReply));
  return new CliError(refused ? 'E_FAILED' : 'E_UNREACHABLE', `not every step reached Redis: ${why}`, { cause: failures[0] });
}

/** An error and its causes, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && chain.length < 10; e = (e as { cause?: unknown } | null)?.cause) chain.push(e);
  return chain;
}

/** The same store, minus `clearPrefix`. */
function withoutClearPrefix(store: CacheStore): CacheStore {
  return {
    name: store.name,
    shared: store.shared,
    get: (key) => store.get(key),
    set: (key, value, ttl) => store.set(key, value, ttl),
    delete: (key) => store.delete(key),
    getMany: store.getMany && ((keys) => store.getMany?.(keys) ?? Promise.resolve([])),
  };
}
