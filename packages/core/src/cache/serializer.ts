import { ErrorCode, message, SerializationError } from '../errors.js';
import { type Entry, restoreEntry } from './entry.js';

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
  /** 1 when `v` holds no box: the reader takes it as parsed, without walking it. */
  p?: 1;
  /** Packed form only: the byte lengths of the strings kept outside the JSON, in order. */
  r?: number[];
  /**
   * Packed form only: 1 when every string kept outside the JSON is ASCII, so a reader takes its
   * bytes one to a character instead of decoding UTF-8 (half the time). Readers that predate it
   * ignore it and decode UTF-8, which reads ASCII alike: old and new processes share entries.
   */
  a?: 1;
}

/** What encoding one value takes along: cycles, whether it boxed anything, strings set apart. */
interface EncodeContext {
  seen: Set<object>;
  boxes: number;
  /** Long strings kept outside the JSON (packed form), or undefined for plain JSON. */
  raws: string[] | undefined;
}

/** Encodes an entry for a shared store; throws `E_NOT_SERIALIZABLE` on what cannot round-trip. */
export function encodeEntry(entry: Entry, raws?: string[]): WireEntry {
  const ctx: EncodeContext = { seen: new Set(), boxes: 0, raws };
  const wire: WireEntry = {
    v: encodeValue(entry.value, ctx),
    c: entry.createdAt,
    f: entry.freshUntil,
    s: entry.staleUntil,
    e: entry.staleIfErrorUntil,
  };
  if (entry.tags.length > 0) wire.t = [...entry.tags];
  if (ctx.boxes === 0) wire.p = 1;
  return wire;
}

/** Decodes what a shared store returned; throws `E_CORRUPT_ENTRY` on anything malformed. */
export function decodeEntry(raw: unknown): Entry {
  if (raw instanceof Uint8Array && raw[0] === PACKED) return unpackEntry(raw);
  return entryOf((typeof raw === 'string' ? parseJson(raw) : raw) as Partial<WireEntry> | null);
}

function entryOf(w: Partial<WireEntry> | null, raws?: readonly string[]): Entry {
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
    // a value that boxed nothing is plain JSON data: as parsed, nothing to revive
    value = w.p === 1 ? w.v : decodeValue(w.v, raws);
  } catch (cause) {
    throw cause instanceof SerializationError ? cause : corrupt('a boxed value is malformed', cause);
  }
  return restoreEntry(value, w.c, w.f, w.s, w.e, w.t ?? []);
}

function encodeValue(value: unknown, ctx: EncodeContext): unknown {
  switch (typeof value) {
    case 'string':
      return ctx.raws !== undefined && value.length >= RAW_MIN && wellFormed(value) ? setApart(value, ctx) : value;
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : box(ctx, { $t: 'n', v: String(value) });
    case 'undefined':
      return box(ctx, { $t: 'u' });
    case 'bigint':
      return box(ctx, { $t: 'big', v: value.toString() });
    case 'object':
      return value === null ? null : encodeObject(value, ctx);
    default:
      throw notSerializable(`a ${typeof value}`);
  }
}

function encodeObject(value: object, ctx: EncodeContext): unknown {
  const { seen } = ctx;
  if (seen.has(value)) throw notSerializable('a circular structure');
  if (value instanceof Date) return box(ctx, { $t: 'D', v: value.getTime() });
  if (value instanceof Uint8Array) {
    const kind = Buffer.isBuffer(value) ? 'B' : 'U8';
    return box(ctx, { $t: kind, v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') });
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => encodeValue(item, ctx));
    if (value instanceof Map) return box(ctx, { $t: 'Map', v: [...value].map((pair) => encodeValue(pair, ctx)) });
    if (value instanceof Set) return box(ctx, { $t: 'Set', v: [...value].map((item) => encodeValue(item, ctx)) });
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const toJSON = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof toJSON === 'function') return encodeValue(toJSON.call(value), ctx);
      throw notSerializable(`an instance of ${value.constructor?.name ?? 'a class'}; store plain data`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) setOwn(out, k, encodeValue(v, ctx));
    }
    return Object.hasOwn(out, '$t') ? box(ctx, { $t: 'O', v: out }) : out;
  } finally {
    seen.delete(value);
  }
}

/**
 * UTF-8 cannot carry a lone surrogate (JSON escapes it): such a string stays in the JSON.
 * `String.prototype.isWellFormed` is in Node 20, not yet in this project's TypeScript lib.
 */
function wellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

function box<B>(ctx: EncodeContext, boxed: B): B {
  ctx.boxes++;
  return boxed;
}

/** A long string kept outside the JSON (packed form): its bytes follow the header as they are. */
function setApart(value: string, ctx: EncodeContext): unknown {
  const raws = ctx.raws as string[];
  raws.push(value);
  return box(ctx, { $t: 'R', v: raws.length - 1 });
}

/**
 * Decodes in place: the wire value is freshly parsed JSON that nobody else holds, so only the
 * boxed parts are replaced and plain data is not copied.
 */
function decodeValue(value: unknown, raws: readonly string[] | undefined): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'object' && item !== null) value[i] = decodeValue(item, raws);
    }
    return value;
  }
  const box = value as { $t?: unknown; v?: unknown };
  if (!Object.hasOwn(box, '$t')) return decodeFields(value as Record<string, unknown>, raws);
  switch (box.$t) {
    case 'R': {
      const raw = raws?.[box.v as number];
      if (raw === undefined) throw corrupt('a string kept apart is missing');
      return raw;
    }
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
      return new Map((box.v as unknown[]).map((item) => decodeValue(item, raws)) as [unknown, unknown][]);
    case 'Set':
      return new Set((box.v as unknown[]).map((item) => decodeValue(item, raws)));
    case 'O':
      return decodeFields(box.v as Record<string, unknown>, raws);
    default:
      throw corrupt(`unknown boxed type ${JSON.stringify(box.$t)}`);
  }
}

function decodeFields(value: Record<string, unknown>, raws: readonly string[] | undefined): Record<string, unknown> {
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v !== 'object' || v === null) continue;
    const decoded = decodeValue(v, raws);
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

/** First byte of a packed entry; JSON text never starts with it. */
const PACKED = 0;
/** Shortest string a packed entry keeps outside its JSON header. */
const RAW_MIN = 512;

/**
 * The packed wire form, for stores that keep bytes as they are (`CacheStore.binary`): a zero
 * byte, the JSON header (the {@link WireEntry}, long strings boxed by index), a newline, then
 * those strings' UTF-8 bytes. Reading one decodes each long string straight from the reply's
 * bytes, without scanning it as JSON (and without the client decoding the whole reply to text).
 */
export function packEntry(entry: Entry): Buffer {
  const raws: string[] = [];
  const wire = encodeEntry(entry, raws);
  if (raws.length > 0) {
    const lengths = raws.map((raw) => Buffer.byteLength(raw));
    wire.r = lengths;
    // a string is ASCII exactly when its UTF-8 takes one byte a character
    if (raws.every((raw, i) => raw.length === lengths[i])) wire.a = 1;
  }
  const header = JSON.stringify(wire);
  const headerBytes = Buffer.byteLength(header);
  let total = headerBytes + 2;
  for (const length of wire.r ?? []) total += length;
  const packed = Buffer.allocUnsafe(total);
  packed[0] = PACKED;
  let at = 1 + packed.write(header, 1);
  packed[at++] = 0x0a;
  for (const raw of raws) at += packed.write(raw, at);
  return packed;
}

function unpackEntry(packed: Uint8Array): Entry {
  const bytes = Buffer.isBuffer(packed) ? packed : Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const end = bytes.indexOf(0x0a, 1);
  if (end < 0) throw corrupt('a packed entry has no header end');
  const w = parseJson(bytes.toString('utf8', 1, end)) as Partial<WireEntry> | null;
  const lengths = w?.r ?? [];
  if (!Array.isArray(lengths)) throw corrupt('a packed entry lists no string lengths');
  const raws: string[] = [];
  const encoding = w?.a === 1 ? 'latin1' : 'utf8';
  let at = end + 1;
  for (const length of lengths) {
    if (!Number.isInteger(length) || length < 0 || at + length > bytes.length) throw corrupt('a packed string runs past the end');
    raws.push(bytes.toString(encoding, at, at + length));
    at += length;
  }
  return entryOf(w, raws);
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
