import { ageSeconds, type PageRecord } from './record.js';
import { storedHeaders } from './stored-headers.js';
import type { PageResponse } from './types.js';

const EMPTY = Buffer.alloc(0);

/**
 * A stored page as a hit sends it, made once per record: the stored headers as the flat
 * `[name, value, …]` list Node's `writeHead` takes (hop-by-hop and `Set-Cookie` stripped, the
 * stored `Date` kept), with a slot for `Age` and one for `Cache-Status`, and the body as a Buffer
 * over the record's bytes (no copy). The list with the two slots filled is made once per value and shared.
 */
export class ReadyPage {
  /** The stored page this response is made of. */
  readonly record: PageRecord;
  readonly #fields: string[];
  readonly body: Buffer;
  /**
   * The last Vary list this page was found to cover (`coversVaryList`), by identity: the hit path
   * checks a page against the URL's list once, not per hit.
   */
  coveredList: readonly string[] | undefined;
  /** The fields of the last hit, for its age, Cache-Status name and ttl (see {@link fieldsAt}). */
  #made: readonly string[] | undefined;
  #age = -1;
  #statusName: string | undefined;
  #ttl = 0;

  constructor(record: PageRecord) {
    this.record = record;
    const fields: string[] = [];
    for (const [name, value] of Object.entries(storedHeaders(record.headers, record.storedAt))) {
      if (Array.isArray(value)) for (const item of value) fields.push(name, item);
      else fields.push(name, value);
    }
    fields.push('age', '', 'cache-status', '');
    this.#fields = fields;
    const { body } = record;
    this.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }

  /** The response of a plain hit at `now` (see {@link readyHit}). */
  hit(now: number, cacheStatus: string | undefined, head: boolean): ReadyResponse {
    return new ReadyResponse(this.record.status, this.fieldsAt(now, cacheStatus), head ? EMPTY : this.body);
  }

  /**
   * The fields of a hit at `now`: `Age` (RFC 9111 §5.1), and `Cache-Status` (RFC 9211) under
   * `cacheStatus` when named. Frozen, and the same list for every hit until a value changes (once a
   * second): nothing is copied per hit, and nothing can change what the next hit sends.
   */
  fieldsAt(now: number, cacheStatus: string | undefined): readonly string[] {
    const record = this.record;
    const age = ageSeconds(record, now);
    const ttl = cacheStatus === undefined ? 0 : Math.floor((record.freshUntil - now) / 1000);
    const made = this.#made;
    if (made !== undefined && age === this.#age && cacheStatus === this.#statusName && ttl === this.#ttl) return made;
    this.#age = age;
    this.#statusName = cacheStatus;
    this.#ttl = ttl;
    const n = this.#fields.length;
    // the template ends with age, '', cache-status, ''
    const fields = cacheStatus === undefined ? this.#fields.slice(0, n - 2) : this.#fields.slice();
    fields[n - 3] = String(age);
    if (cacheStatus !== undefined) fields[n - 1] = `${cacheStatus}; hit; ttl=${ttl}`;
    this.#made = Object.freeze(fields);
    return this.#made;
  }
}

/**
 * A stored record's ready response, kept on the record itself (see {@link prepareRecord}): a hit
 * reads it with one property load, where a `WeakMap` or a `WeakRef` cost a table probe or a
 * keep-alive entry per hit. Module-private: no other value can carry it.
 */
const READY_PAGE = Symbol('cachette.readyPage');
// Records that were not prepared (read back from a shared tier) get theirs here, once per record.
const READY = new WeakMap<PageRecord, ReadyPage>();

/**
 * A response ready for Node: `rawHeaders` is what `res.writeHead(status, rawHeaders)` takes; the
 * same fields as the `headers` object of {@link PageResponse}, which is made only when read.
 */
export class ReadyResponse implements PageResponse {
  readonly status: number;
  readonly body: Uint8Array;
  /** The header fields as `[name, value, name, value, …]`, lower-case names, a name repeated per value (its lines next to each other). */
  readonly rawHeaders: readonly string[];
  #headers: Record<string, string | string[]> | undefined;

  constructor(status: number, rawHeaders: readonly string[], body: Uint8Array) {
    this.status = status;
    this.rawHeaders = rawHeaders;
    this.body = body;
  }

  get headers(): Record<string, string | string[]> {
    if (this.#headers === undefined) {
      const headers: Record<string, string | string[]> = {};
      const raw = this.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i] as string;
        const value = raw[i + 1] as string;
        const previous = headers[name];
        headers[name] = previous === undefined ? value : [previous, value].flat();
      }
      this.#headers = headers;
    }
    return this.#headers;
  }
}

/**
 * A fresh stored page answering a plain GET or HEAD (no conditional, no range): the stored
 * status, headers and body, with `Age` and `Cache-Status: <name>; hit; ttl=<s>`; no body for HEAD.
 *
 * @example
 * readyHit(record, clock.now(), 'cachette', false).rawHeaders // ['content-type', 'text/html', …, 'age', '3', 'cache-status', 'cachette; hit; ttl=897']
 */
export function readyHit(record: PageRecord, now: number, cacheStatus: string | undefined, head: boolean): ReadyResponse {
  return readyPageOf(record).hit(now, cacheStatus, head);
}

/**
 * Makes `record`'s ready response now and keeps it on the record, before the record is frozen and
 * stored: not enumerable, so it is never serialized, spread or copied with the record's data.
 */
export function prepareRecord(record: PageRecord): PageRecord {
  Object.defineProperty(record, READY_PAGE, { value: new ReadyPage(record) });
  return record;
}

/** The ready response {@link prepareRecord} kept on `value`; undefined for anything else. */
export function preparedPageOf(value: unknown): ReadyPage | undefined {
  return typeof value === 'object' && value !== null ? (value as { [READY_PAGE]?: ReadyPage })[READY_PAGE] : undefined;
}

/** The prebuilt response of a stored page, made on first use and kept as long as the record lives. */
export function readyPageOf(record: PageRecord): ReadyPage {
  let ready = preparedPageOf(record) ?? READY.get(record);
  if (ready === undefined) {
    ready = new ReadyPage(record);
    READY.set(record, ready);
  }
  return ready;
}
