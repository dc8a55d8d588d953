import { parseArgs } from 'node:util';
import { createCache, InvalidOptionError, parseDuration } from '@cachette/core';
import { type ConnectionSpec, parseConnection } from './connection-spec.js';
import { CliError } from './errors.js';

/** The commands `cachette` knows. */
export const COMMANDS = ['stats', 'get', 'purge', 'clear', 'bump-version', 'help'] as const;

/** One of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];

/** A command line, checked: what to do, against which Redis, in which namespace. */
export interface Invocation {
  command: CommandName;
  connection: ConnectionSpec | undefined;
  /** The namespace path: the root namespace, then child namespaces (`shop/users`). */
  namespace: readonly string[];
  /** True when `--namespace` was given (clear requires it). */
  namespaceGiven: boolean;
  version: number;
  channel: string;
  timeout: number;
  json: boolean;
  force: boolean;
  key: string | undefined;
  tags: readonly string[];
  urls: readonly string[];
  keyPrefix: string;
}

const OPTIONS = {
  redis: { type: 'string' },
  cluster: { type: 'string' },
  sentinel: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  version: { type: 'string' },
  channel: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  force: { type: 'boolean' },
  tag: { type: 'string', multiple: true },
  url: { type: 'string', multiple: true },
  'key-prefix': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads argv (without `node` and the script) into an {@link Invocation}; throws `E_USAGE` / `E_INVALID_URL`. */
export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    throw usage((cause as Error).message, cause);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  const command = values.help || name === undefined ? 'help' : commandName(name);
  const inv: Invocation = {
    command,
    connection: parseConnection(values),
    namespace: namespacePath(values.namespace ?? 'cachette'),
    namespaceGiven: values.namespace !== undefined,
    version: version(values.version ?? '1'),
    channel: values.channel ?? 'cachette:bus',
    timeout: duration(values.timeout ?? '5s'),
    json: values.json ?? false,
    force: values.force ?? false,
    key: rest[0],
    tags: values.tag ?? [],
    urls: values.url ?? [],
    keyPrefix: values['key-prefix'] ?? '',
  };
  checkCommand(inv, rest);
  return inv;
}

function commandName(name: string): CommandName {
  if ((COMMANDS as readonly string[]).includes(name)) return name as CommandName;
  throw usage(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.join(', ')}`);
}

/** What each command needs beyond the shared flags. */
function checkCommand(inv: Invocation, positionals: readonly string[]): void {
  if (inv.command === 'help') return;
  if (!inv.connection) throw usage('say where Redis is: --redis redis://host:port, --cluster host:port,… or --sentinel name@host:port,…');
  const wantsKey = inv.command === 'get';
  if (wantsKey && (positionals.length !== 1 || !positionals[0])) throw usage('get needs exactly one key: cachette get <key>');
  if (!wantsKey && positionals.length > 0) throw usage(`${inv.command} takes no arguments, got ${JSON.stringify(positionals.join(' '))}`);
  if (inv.command === 'purge' && inv.tags.length + inv.urls.length === 0)
    throw usage('purge needs --tag <tag> or --url <absolute URL> (repeatable)');
  if (inv.command !== 'purge' && inv.tags.length + inv.urls.length > 0) throw usage('--tag and --url belong to purge');
  if (inv.command === 'clear' && !inv.namespaceGiven) throw usage('clear needs --namespace <name>: it drops every entry of that namespace');
}

function namespacePath(text: string): string[] {
  const [root, ...children] = text.split('/');
  if (!root || children.some((p) => p === ''))
    throw usage(`--namespace ${JSON.stringify(text)}: give a name, or names joined by "/" (shop/users)`);
  try {
    // core's own rule for names, checked before anything connects
    let cache = createCache({ namespace: root });
    for (const child of children) cache = cache.namespace(child);
  } catch (cause) {
    if (cause instanceof InvalidOptionError) throw usage(`--namespace: ${cause.message.replace(/^\[cachette:\w+\] /, '')}`, cause);
    throw cause;
  }
  return [root, ...children];
}

function version(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw usage(`--version ${JSON.stringify(text)} must be an integer >= 0`);
  return n;
}

function duration(text: string): number {
  try {
    const ms = parseDuration(/^\d+$/.test(text) ? Number(text) : text, '--timeout');
    if (ms > 0) return ms;
  } catch (cause) {
    if (cause instanceof InvalidOptionError) throw usage(`--timeout ${JSON.stringify(text)}: ${cause.message}`, cause);
    throw cause;
  }
  throw usage('--timeout must be more than 0');
}

function usage(text: string, cause?: unknown): CliError {
  return new CliError('E_USAGE', text, { cause });
}
