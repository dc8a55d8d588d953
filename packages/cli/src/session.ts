import { type Cache, type CacheBus, type CacheStore, createCache } from '@cachette/core';
import { type Admin, openAdmin } from './admin.js';
import type { Invocation } from './args.js';
import { bounded } from './bounded.js';
import { describeConnection } from './connection-spec.js';
import { CliError } from './errors.js';
import { Failures } from './failures.js';
import { countSpaces, spaceExists } from './keyspace.js';
import { partsForSpec, partsOnClient, type RedisParts, withoutClearPrefix } from './redis-parts.js';

/**
 * What a command works with: the checked command line, the admin line to Redis, and caches
 * over the shared tier and the bus in the application's namespace and version.
 */
export class Session {
  readonly inv: Invocation;
  readonly admin: Admin;
  readonly #parts: RedisParts;
  readonly #failures = new Failures();
  readonly #bus: CacheBus;

  constructor(inv: Invocation, admin: Admin, parts: RedisParts) {
    this.inv = inv;
    this.admin = admin;
    this.#parts = parts;
    this.#bus = {
      publish: (message) => {
        const sent = parts.bus.publish(message);
        this.#failures.track(sent);
        return sent;
      },
      // the command speaks on the bus; it has no memory tier to keep coherent
      subscribe: () => undefined,
    };
  }

  /** A cache at the namespace path; `before` are tiers above the Redis tier. */
  cache({ before = [], logicalClear = false }: { before?: CacheStore[]; logicalClear?: boolean } = {}): Cache {
    const store = logicalClear ? withoutClearPrefix(this.#parts.store) : this.#parts.store;
    const [root, ...children] = this.inv.namespace;
    let cache = createCache({
      namespace: root,
      version: this.inv.version,
      tiers: [...before.map((s) => ({ store: s })), { store }],
      bus: this.#bus,
      storeTimeout: this.inv.timeout,
    });
    cache.on('error', ({ error }) => this.#failures.add(error));
    for (const child of children) cache = cache.namespace(child);
    return cache;
  }

  /** Waits for every bus message; throws if one, or a store call, failed (`E_FAILED`, `E_UNREACHABLE`). */
  settle(): Promise<void> {
    return this.#failures.settle();
  }

  /** `E_NOT_FOUND`, naming the versions that do exist, unless the namespace has keys here or `--force`. */
  async requireNamespace(path: string): Promise<void> {
    if (this.inv.force || (await spaceExists(this.admin, path))) return;
    const others = (await countSpaces(this.admin, this.inv.namespace[0])).map((s) => s.path);
    const hint = others.length > 0 ? `; found ${others.join(', ')} (check --version)` : ' (check --namespace, or --force)';
    const where = this.inv.connection ? describeConnection(this.inv.connection) : 'Redis';
    throw new CliError('E_NOT_FOUND', `namespace ${path} has no keys in ${where}${hint}`);
  }

  /** How many processes listen on the bus channel now. */
  async listeners(): Promise<number> {
    let total = 0;
    for (const node of this.admin.nodes) {
      const counts = await bounded(node.pubSubNumSub(this.inv.channel), this.inv.timeout, 'PUBSUB NUMSUB');
      total += Number(counts[this.inv.channel] ?? 0);
    }
    return total;
  }

  async close(): Promise<void> {
    await this.#parts.close();
    await this.admin.close();
  }
}

/** Connects, within `--timeout`, to the Redis the invocation names. */
export async function openSession(inv: Invocation): Promise<Session> {
  const spec = inv.connection;
  if (!spec) throw new CliError('E_USAGE', 'say where Redis is');
  // cluster and sentinel go to @cachette/redis as given: check first that it takes them
  const passThrough = 'url' in spec ? undefined : partsForSpec(spec, inv.channel);
  try {
    const admin = await openAdmin(spec, inv.timeout);
    return new Session(inv, admin, passThrough ?? partsOnClient(admin.client as NonNullable<Admin['client']>, inv.channel));
  } catch (error) {
    await passThrough?.close();
    throw error;
  }
}
