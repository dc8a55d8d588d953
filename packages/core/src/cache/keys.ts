import { createHash } from 'node:crypto';
import { ErrorCode, InvalidOptionError, message } from '../errors.js';

/** Longest part of a key kept readable in a store key; longer or odd keys are hashed. */
const MAX_READABLE = 120;
/** Longest namespace path kept readable; a longer one (deeply nested namespaces) is hashed. */
const MAX_PATH = 80;
const NAMESPACE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Throws `E_INVALID_KEY` unless `key` is a non-empty string.
 *
 * @example
 * ```ts
 * assertKey('') // throws InvalidOptionError (E_INVALID_KEY)
 * ```
 */
export function assertKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidOptionError(
      ErrorCode.InvalidKey,
      message(`${what} must be a non-empty string, got ${key === '' ? 'an empty string' : typeof key}`),
    );
  }
}

/** Throws `E_INVALID_OPTION` unless `name` is a usable namespace segment. */
export function assertNamespace(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAMESPACE.test(name)) {
    throw new InvalidOptionError(
      ErrorCode.InvalidOption,
      message(`namespace: ${JSON.stringify(name)} must be 1-64 characters of A-Z, a-z, 0-9, '_', '.', '-'`),
    );
  }
}

/**
 * The part of a store key that stands for a user's key or tag: the key itself when it is short
 * printable ASCII, else `#` and its SHA-256 — short, printable and safe for memcached, and
 * never equal for two different inputs (a readable part never starts with `#`).
 */
export function safeKeyPart(key: string): string {
  if (isReadablePart(key)) return key;
  return `#${createHash('sha256').update(key).digest('base64url')}`;
}

/**
 * True when `key` is its own part of a store key: short printable ASCII without space (`!` to
 * `~`), not starting with `#` (the mark of a hashed key). A loop over the characters: every
 * shared-tier read asks, and a regular expression cost ~1 µs there, run cold after the I/O.
 */
export function isReadablePart(key: string): boolean {
  const length = key.length;
  if (length === 0 || length > MAX_READABLE || key.charCodeAt(0) === 0x23) return false;
  for (let i = 0; i < length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

/**
 * Store keys of one namespace at one version. Layout: `<ns>@<version>[/<child>…]/<kind>:<part>`,
 * where kind is `k` (entry), `t` (tag mark) or `c` (clear mark). Namespace names cannot hold
 * `/`, `@` or `:`, so no two layouts meet, and `<path>/` prefixes exactly one namespace and
 * those below it (never another version's keys).
 */
export class KeySpace {
  readonly path: string;
  /** Every key of this namespace and of those below it starts with this. */
  readonly prefix: string;
  /** Every entry key of this namespace (not those below it) starts with this: `<path>/k:`. */
  readonly entryGroup: string;

  constructor(path: string) {
    this.path = path.length <= MAX_PATH ? path : `~${createHash('sha256').update(path).digest('base64url').slice(0, 32)}`;
    this.prefix = `${this.path}/`;
    this.entryGroup = `${this.prefix}k:`;
  }

  static root(namespace: string, version: number): KeySpace {
    return new KeySpace(`${namespace}@${version}`);
  }

  entry(key: string): string {
    return this.entryGroup + safeKeyPart(key);
  }

  tag(tag: string): string {
    return `${this.prefix}t:${safeKeyPart(tag)}`;
  }

  get clearMark(): string {
    return `${this.prefix}c:`;
  }

  child(name: string): KeySpace {
    return new KeySpace(`${this.path}/${name}`);
  }
}

/** The key space prefix an entry key was made in (`shop@1/users/`). */
export function prefixOf(entryKey: string): string {
  return entryKey.slice(0, entryKey.indexOf('/k:') + 1);
}

/** The tag-mark keys of an entry, from its key and tags. */
export function tagMarkKeys(entryKey: string, tags: readonly string[]): string[] {
  const prefix = prefixOf(entryKey);
  return tags.map((tag) => `${prefix}t:${safeKeyPart(tag)}`);
}
