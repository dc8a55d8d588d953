import { createClient, type RedisSentinelOptions } from '@redis/client';
import { type RedisClient, reconnectStrategy, within } from './connection.js';

/** A server's address, as the sentinels announce it. */
export interface SentinelNode {
  host: string;
  port: number;
}

/** How often the sentinels are asked again while the master's connection is down. */
const ASK_EVERY_MS = 250;
/** How long one sentinel gets to answer. */
const ANSWER_MS = 1_000;
/**
 * How long a master the sentinels named gets to take the connection: it is up (a refused one
 * fails at once), so a slow answer is a busy machine, and waiting beats starting over.
 */
const CONNECT_MS = 5_000;

const noop = () => undefined;

/**
 * Follows the master that Sentinel names, on plain node-redis clients: one connection to the
 * master, one subscription to `+switch-master` on every sentinel. The first sentinel to announce
 * a failover moves the connection to the new master at once (a master found by asking has its
 * role checked with `ROLE`), and `onSwitch` / `onReady` listeners hear of it, so the cache uses
 * the tier again within milliseconds of the switch on an idle machine.
 *
 * node-redis's own sentinel client is not used for this: while a failover runs, its rediscovery
 * sleeps 1 s after each look at a master still flagged down, and commands sent meanwhile wait
 * inside it (no offline-queue limit applies), so a store call hung to the tier's timeout and the
 * tier came back 2–5 s after the switch.
 *
 * @example
 * ```ts
 * const follower = new SentinelFollower({ name: 'mymaster', sentinelRootNodes: [{ host: '10.0.0.1', port: 26379 }] })
 * const master = await follower.start()
 * ```
 */
export class SentinelFollower {
  readonly #options: RedisSentinelOptions;
  #master: RedisClient | undefined;
  #node: SentinelNode | undefined;
  #watchers: RedisClient[] | undefined;
  #switching: Promise<unknown> = Promise.resolve();
  #starting: Promise<RedisClient> | undefined;
  #asking: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #standbys = new Map<string, RedisClient>();
  readonly #switchListeners = new Set<() => void>();
  readonly #readyListeners = new Set<() => void>();

  constructor(options: RedisSentinelOptions) {
    this.#options = options;
  }

  /** The master's client; undefined before the first `start()` succeeded. */
  get master(): RedisClient | undefined {
    return this.#master;
  }

  /** Asks the sentinels for the master, connects to it, and starts watching for failovers; once for all callers. */
  start(): Promise<RedisClient> {
    if (this.#master) return Promise.resolve(this.#master);
    this.#starting ??= (async () => {
      this.#watch();
      await this.#follow(await this.#ask());
      return this.#master as RedisClient;
    })().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  /** `listener` runs once the connection has moved to a new master. */
  onSwitch(listener: () => void): () => void {
    this.#switchListeners.add(listener);
    return () => this.#switchListeners.delete(listener);
  }

  /** `listener` runs each time a master connection is (back) up: after a switch or a reconnect. */
  onReady(listener: () => void): () => void {
    this.#readyListeners.add(listener);
    return () => this.#readyListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#asking) clearInterval(this.#asking);
    for (const client of [...(this.#watchers ?? []), ...this.#standbys.values()]) if (client.isOpen) client.destroy();
    this.#standbys.clear();
    const master = this.#master;
    // a graceful close can wait on a master that is gone: give it a moment, then cut
    const closed = master?.isReady
      ? await within(
          master.close().then(() => true),
          ANSWER_MS,
        ).catch(noop)
      : false;
    if (!closed && master?.isOpen) master.destroy();
  }

  /** Moves to `node` unless it is the master already; switches run one at a time. */
  #switchTo(node: SentinelNode, announced = false): Promise<unknown> {
    this.#switching = this.#switching.then(() => this.#follow(node, announced)).catch(() => this.#askWhileDown());
    return this.#switching;
  }

  /**
   * Connects to `given` and makes it the master. Its `ROLE` is checked unless a sentinel has just
   * announced the switch (`announced`): a sentinel publishes `+switch-master` only once it has seen
   * the promoted server report its new role, and the round trip would delay the switch.
   */
  async #follow(given: SentinelNode, announced = false): Promise<void> {
    const node = this.#mapped(given);
    if (this.#closed || (this.#node && same(this.#node, node) && this.#master?.isOpen)) return;
    // a replica's connection, kept open for this moment, saves the connection's round trips
    const standby = this.#standbys.get(address(node));
    this.#standbys.delete(address(node));
    if (standby && !standby.isReady && standby.isOpen) standby.destroy();
    const client = standby?.isReady ? standby : this.#nodeClient(node);
    client.on('error', () => {
      if (client === this.#master) this.#askWhileDown();
    });
    client.on('ready', () => {
      if (client === this.#master) for (const listener of this.#readyListeners) listener();
    });
    try {
      if (!client.isReady && !(await within(client.connect(), CONNECT_MS))) throw new Error(`${node.host}:${node.port} did not answer`);
      // a sentinel asked may name a master that is not one yet (or no more): trust the server's own word
      const role = announced ? ['master'] : ((await client.sendCommand(['ROLE'])) as unknown[]);
      if (String(role?.[0]) !== 'master') throw new Error(`${node.host}:${node.port} is not a master`);
    } catch (cause) {
      if (client.isOpen) client.destroy();
      throw new Error(`[cachette:redis] the master ${JSON.stringify(this.#options.name)} at ${node.host}:${node.port} is not usable`, {
        cause,
      });
    }
    if (this.#closed) return void client.destroy();
    const old = this.#master;
    this.#master = client;
    this.#node = node;
    if (old?.isOpen) old.destroy();
    if (old) for (const listener of this.#switchListeners) listener();
    for (const listener of this.#readyListeners) listener();
    void this.#keepStandbys().catch(noop);
  }

  #nodeClient(node: SentinelNode): RedisClient {
    const { nodeClientOptions } = this.#options;
    return createClient({
      RESP: this.#options.RESP,
      // fail at once while disconnected: the cache's breaker takes over instead of calls waiting
      disableOfflineQueue: true,
      ...nodeClientOptions,
      socket: { reconnectStrategy, ...nodeClientOptions?.socket, host: node.host, port: node.port },
    } as Parameters<typeof createClient>[0]) as unknown as RedisClient;
  }

  /**
   * One open connection to each replica the sentinels list as up (`SENTINEL REPLICAS`): a
   * failover promotes one of them, and the switch then needs no new connection. Made again
   * after each switch; connections to replicas no longer listed are closed.
   */
  async #keepStandbys(): Promise<void> {
    const replicas = (await this.#askSentinel(['SENTINEL', 'REPLICAS', this.#options.name])) as unknown[];
    const wanted = new Map<string, SentinelNode>();
    for (const replica of Array.isArray(replicas) ? replicas : []) {
      const fields = fieldsOf(replica);
      if (/s_down|o_down|disconnected/.test(fields.flags ?? '') || !fields.ip || !fields.port) continue;
      const node = this.#mapped({ host: fields.ip, port: Number(fields.port) });
      if (!this.#node || !same(node, this.#node)) wanted.set(address(node), node);
    }
    if (this.#closed) return;
    for (const [key, client] of this.#standbys) {
      if (wanted.has(key)) continue;
      this.#standbys.delete(key);
      if (client.isOpen) client.destroy();
    }
    for (const [key, node] of wanted) {
      if (this.#standbys.has(key)) continue;
      const client = this.#nodeClient(node);
      client.on('error', noop);
      this.#standbys.set(key, client);
      client.connect().catch(noop);
    }
  }

  /**
   * Asks the sentinels every {@link ASK_EVERY_MS} while the master's connection is down, in case
   * a `+switch-master` was missed (every watcher away, a sentinel restarted): stops once it is up.
   */
  #askWhileDown(): void {
    if (this.#asking || this.#closed) return;
    this.#asking = setInterval(() => {
      if (this.#closed || this.#master?.isReady) {
        clearInterval(this.#asking);
        this.#asking = undefined;
        return;
      }
      this.#ask().then((node) => this.#switchTo(node), noop);
    }, ASK_EVERY_MS);
    this.#asking.unref?.();
  }

  /** Where the sentinels say the master is: the first sentinel that answers is trusted. */
  async #ask(): Promise<SentinelNode> {
    const reply = (await this.#askSentinel(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.#options.name])) as unknown[] | null;
    if (Array.isArray(reply) && reply.length === 2) return { host: String(reply[0]), port: Number(reply[1]) };
    throw new Error(`[cachette:redis] no sentinel named the master ${JSON.stringify(this.#options.name)}`);
  }

  /** `command`'s reply from the first sentinel that gives one (not null: it knows the master). */
  async #askSentinel(command: string[]): Promise<unknown> {
    const heard: string[] = [];
    for (const sentinel of this.#options.sentinelRootNodes) {
      const client = this.#sentinelClient(sentinel, false);
      try {
        await client.connect();
        const reply = await within(client.sendCommand(command), ANSWER_MS);
        if (reply !== null && reply !== undefined) return reply;
        heard.push(`${sentinel.host}:${sentinel.port} knows no master called ${JSON.stringify(this.#options.name)}`);
      } catch (error) {
        heard.push(`${sentinel.host}:${sentinel.port}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        if (client.isOpen) client.destroy();
      }
    }
    throw new Error(`[cachette:redis] no sentinel answered ${command.slice(0, 2).join(' ')} (${heard.join('; ')})`);
  }

  /** One subscription to `+switch-master` on each sentinel, kept across reconnects; once only. */
  #watch(): void {
    if (this.#watchers) return;
    this.#watchers = this.#options.sentinelRootNodes.map((sentinel) => {
      const watcher = this.#sentinelClient(sentinel, true);
      const heard = (message: string) => {
        // `<name> <old-ip> <old-port> <new-ip> <new-port>`
        const [name, , , host, port] = message.split(' ');
        if (name === this.#options.name && host && port) void this.#switchTo({ host, port: Number(port) }, true);
      };
      let connected = false;
      watcher.on('ready', () => {
        // node-redis subscribes again on a reconnect; one that never took (its first connection
        // failed under it) is made here
        if (!watcher.isPubSubActive) watcher.subscribe('+switch-master', heard).catch(noop);
        // back after a gap: a switch may have been announced meanwhile
        if (connected) this.#ask().then((node) => this.#switchTo(node), noop);
        connected = true;
      });
      watcher.connect().catch(noop);
      return watcher;
    });
  }

  #sentinelClient(sentinel: SentinelNode, keep: boolean): RedisClient {
    const options = this.#options.sentinelClientOptions;
    const client = createClient({
      ...options,
      socket: {
        // a one-off question is bounded; a watcher waits as long as node-redis does
        ...(keep ? {} : { connectTimeout: ANSWER_MS }),
        ...options?.socket,
        host: sentinel.host,
        port: sentinel.port,
        reconnectStrategy: keep ? reconnectStrategy : false,
      },
    } as Parameters<typeof createClient>[0]) as unknown as RedisClient;
    client.on('error', noop);
    return client;
  }

  /** The address to connect to for an announced one (`nodeAddressMap`, as node-redis takes it). */
  #mapped(node: SentinelNode): SentinelNode {
    const map = this.#options.nodeAddressMap as ((address: string) => SentinelNode | undefined) | Record<string, SentinelNode> | undefined;
    const address = `${node.host}:${node.port}`;
    const found = typeof map === 'function' ? map(address) : map?.[address];
    return found ?? node;
  }
}

function same(a: SentinelNode, b: SentinelNode): boolean {
  return a.host === b.host && a.port === b.port;
}

function address(node: SentinelNode): string {
  return `${node.host}:${node.port}`;
}

/** A sentinel's description of a server: field/value pairs (RESP2) or a map (RESP3). */
function fieldsOf(entry: unknown): Record<string, string> {
  if (Array.isArray(entry)) {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < entry.length; i += 2) fields[String(entry[i])] = String(entry[i + 1]);
    return fields;
  }
  if (entry instanceof Map) return Object.fromEntries([...entry].map(([k, v]) => [String(k), String(v)]));
  return typeof entry === 'object' && entry !== null ? (entry as Record<string, string>) : {};
}
