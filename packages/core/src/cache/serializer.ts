import { ErrorCode, message, SerializationError } from '../errors.js';
import type { Entry } from './entry.js';

/**
 * The wire form of an entry in a shared store: plain JSON data, so that any Keyv store can
 * keep it. Values that JSON cannot carry (Date, Buffer, Uint8Array, Map, Set, bigint,
 * undefined, NaN/±Infinity) are boxed as `{ $t: kind, v }`; a user object that has its own
 * `$t` key is boxed too, so that decoding is unambiguous.
 */
export interface WireEntry {
  v: unknown;
  c: number;
  f: number;
  s: number;
  e: number;
  t?: string[];
}

/** Encodes an entry for a shared store; throws `E_NOT_SERIALIZABLE` on what cannot round-trip. */
export function encodeEntry(entry: Entry): WireEntry {
  const wire: WireEntry = {
    v: encodeValue(entry.value, new Set()),
    c: entry.createdAt,
    f: entry.freshUntil,
    s: entry.staleUntil,
    e: entry.staleIfErrorUntil,
  };
  if (entry.tags.length > 0) wire.t = [...entry.tags];
  return wire;
}

/** Decodes what a shared store returned; throws `E_CORRUPT_ENTRY` on anything malformed. */
export function decodeEntry(raw: unknown): Entry {
  const w = (typeof raw === 'string' ? parseJson(raw) : raw) as Partial<WireEntry> | null;
  if (
    typeof w !== 'object' ||
    w === null ||
    !('v' in w) ||
    !isTime(w.c) ||
    !isTime(w.f) ||
    !isTime(w.s) ||
    !isTime(w.e) ||
    (w.t !== undefined && !(Array.isArray(w.t) && w.t.every((t) => typeof t === 'string')))
  ) {
    throw corrupt('the stored entry does not have the expected shape');
  }
  let value: unknown;
  try {
    value = decodeValue(w.v);
  } catch (cause) {
    throw cause instanceof SerializationError ? cause : corrupt('a boxed value is malformed', cause);
  }
  return {
    value,
    createdAt: w.c,
    freshUntil: w.f,
    staleUntil: w.s,
    staleIfErrorUntil: w.e,
    tags: w.t ?? [],
  };
}

function encodeValue(value: unknown, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : { $t: 'n', v: String(value) };
    case 'undefined':
      return { $t: 'u' };
    case 'bigint':
      return { $t: 'big', v: value.toString() };
    case 'object':
      return value === null ? null : encodeObject(value, seen);
    default:
      throw notSerializable(`a ${typeof value}`);
  }
}

function encodeObject(value: object, seen: Set<object>): unknown {
  if (seen.has(value)) throw notSerializable('a circular structure');
  if (value instanceof Date) return { $t: 'D', v: value.getTime() };
  if (value instanceof Uint8Array) {
    const kind = Buffer.isBuffer(value) ? 'B' : 'U8';
    return { $t: kind, v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => encodeValue(item, seen));
    if (value instanceof Map) return { $t: 'Map', v: [...value].map((pair) => encodeValue(pair, seen)) };
    if (value instanceof Set) return { $t: 'Set', v: [...value].map((item) => encodeValue(item, seen)) };
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const toJSON = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof toJSON === 'function') return encodeValue(toJSON.call(value), seen);
      throw notSerializable(`an instance of ${value.constructor?.name ?? 'a class'}; store plain data`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) setOwn(out, k, encodeValue(v, seen));
    }
    return Object.hasOwn(out, '$t') ? { $t: 'O', v: out } : out;
  } finally {
    seen.delete(value);
  }
}

/**
 * Decodes in place: the wire value is freshly parsed JSON that nobody else holds, so only the
 * boxed parts are replaced and plain data is not copied.
 */
function decodeValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'object' && item !== null) value[i] = decodeValue(item);
    }
    return value;
  }
  const box = value as { $t?: unknown; v?: unknown };
  if (!Object.hasOwn(box, '$t')) return decodeFields(value as Record<string, unknown>);
  switch (box.$t) {
    case 'u':
      return undefined;
    case 'n':
      return Number(box.v);
    case 'big':
      return BigInt(String(box.v));
    case 'D':
      return new Date(Number(box.v));
    case 'B':
      return Buffer.from(String(box.v), 'base64');
    case 'U8':
      return new Uint8Array(Buffer.from(String(box.v), 'base64'));
    case 'Map':
      return new Map((box.v as unknown[]).map(decodeValue) as [unknown, unknown][]);
    case 'Set':
      return new Set((box.v as unknown[]).map(decodeValue));
    case 'O':
      return decodeFields(box.v as Record<string, unknown>);
    default:
      throw corrupt(`unknown boxed type ${JSON.stringify(box.$t)}`);
  }
}

function decodeFields(value: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v !== 'object' || v === null) continue;
    const decoded = decodeValue(v);
    if (decoded !== v) setOwn(value, k, decoded);
  }
  return value;
}

/**
 * Sets an own property, `__proto__` included: a plain assignment of `__proto__` would change
 * the object's prototype instead (prototype pollution from stored or user data).
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw corrupt('the stored entry is not JSON', cause);
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function notSerializable(what: string): SerializationError {
  return new SerializationError(
    ErrorCode.NotSerializable,
    message(`cannot store ${what} in a shared tier; values must be JSON data, Date, Buffer, Uint8Array, Map, Set or bigint`),
  );
}

function corrupt(why: string, cause?: unknown): SerializationError {
  return new SerializationError(ErrorCode.CorruptEntry, message(`corrupt entry: ${why}`), { cause });
}
