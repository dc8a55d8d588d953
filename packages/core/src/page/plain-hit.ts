import { type LocalReads, localReadsOf } from '../cache/cache.js';
import type { RawHeaders } from '../http/headers.js';
import { requestHeaders } from '../http/headers.js';
import type { SlotRef } from '../stores/grouped-lru.js';
import { varyListKey } from './key.js';
import { isVaryList } from './learn-vary.js';
import { checkedOnce, type PageContext, variantKey } from './page-store.js';
import { preparedPageOf, type ReadyResponse, readyPageOf } from './ready-page.js';
import { coversVaryList, isPageRecord, type PageRecord } from './record.js';
import { type CacheableRequest, judgeRequest } from './request-policy.js';
import { REVALIDATE_HEADER } from './revalidate.js';
import { ROUTING_HEADERS } from './target.js';
import type { PageRequest } from './types.js';

/**
 * Request headers that make a request more than a plain GET: whatever the cache must read to
 * decide (method overrides, a body, `Cache-Control` / `Pragma`, conditionals and ranges,
 * credentials and cookies, the routing headers that join every key, the revalidation mark).
 * A request with any of them takes the full decision; one without is answered from the memo.
 */
const NOT_PLAIN: ReadonlySet<string> = new Set([
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'content-length',
  'transfer-encoding',
  'cache-control',
  'pragma',
  'range',
  'if-range',
  'if-match',
  'if-unmodified-since',
  'if-none-match',
  'if-modified-since',
  'authorization',
  'cookie',
  ':authority',
  REVALIDATE_HEADER,
  ...ROUTING_HEADERS,
]);

/** One variant of a URL as a plain request finds it: its key, and the page last read under it, ready to send. */
interface Variant {
  key: string;
  /** Where the memory tier keeps the page under `key`, read again without a map probe (see `LocalReads`). */
  pageRef: SlotRef | undefined;
}

/** What a plain request of one URL resolves to, whatever its other headers say. */
interface UrlMemo {
  host: string;
  /** The memo of the same URL on another host. */
  other: UrlMemo | undefined;
  /** Its verdict (target, no cookies, no credentials): the same for every plain request of the URL. */
  verdict: CacheableRequest;
  listKey: string;
  /** Where the memory tier keeps the list under `listKey` (see `LocalReads`). */
  listRef: SlotRef | undefined;
  /** The Vary list the variants below were made under (the very array the memory tier holds). */
  list: readonly string[] | undefined;
  /** The one variant when the list is empty: no header to read, no map to probe. */
  only: Variant | undefined;
  /** Variants by the request's values of the list's headers (see `valuesOf`). */
  /** Made for the first list that names a header: most URLs vary on nothing and never need one. */
  variants: Map<string, Variant> | undefined;
}

/**
 * Plain requests remembered per URL (one map probe), for http and https; a URL asked for on
 * several hosts chains their memos; bounded, started over when full.
 */
export class PlainMemo {
  readonly #byScheme = [new Map<string, UrlMemo>(), new Map<string, UrlMemo>()];
  #size = 0;
  #reads: LocalReads | null | undefined;

  /** The page cache's memory tier read by slot, when its cache has one (a `createCache` with a `memoryStore()` first). */
  readsOf(cache: unknown): LocalReads | undefined {
    if (this.#reads === undefined) this.#reads = localReadsOf(cache) ?? null;
    return this.#reads ?? undefined;
  }

  get(secure: boolean, host: string, url: string): UrlMemo | undefined {
    let memo = this.#byScheme[secure ? 1 : 0]?.get(url);
    while (memo !== undefined && memo.host !== host) memo = memo.other;
    return memo;
  }

  /** Remembers `memo` for `url` on its host. */
  set(secure: boolean, url: string, memo: UrlMemo): void {
    if (this.#size >= MAX_URLS) {
      for (const urls of this.#byScheme) urls.clear();
      this.#size = 0;
    }
    const urls = this.#byScheme[secure ? 1 : 0] as Map<string, UrlMemo>;
    const first = urls.get(url);
    let hosts = 0;
    for (let m = first; m !== undefined; m = m.other) hosts++;
    if (hosts >= MAX_HOSTS_PER_URL) return;
    memo.other = first;
    urls.set(url, memo);
    this.#size++;
  }
}

const MAX_URLS = 50_000;
const MAX_HOSTS_PER_URL = 16;
const MAX_KEYS_PER_URL = 256;

/**
 * The hit path: a plain GET or HEAD (no header the cache must read, see `NOT_PLAIN`) of a fresh
 * page in the memory tier, answered synchronously — one pass over the headers, the URL's memo
 * (one map probe), two memory reads (the URL's Vary list, the page), the page's prebuilt
 * response. The list and the page read last are remembered by identity, so a hit checks neither
 * again. `undefined`: anything else, which the full decision (`begin`) handles, with every rule
 * (stale pages, 304s, ranges, credentials, cookies).
 */
export function plainHit(ctx: PageContext, request: PageRequest): ReadyResponse | undefined {
  const host = plainHostOf(ctx, request);
  const { cache, clock, cacheStatus } = ctx.options;
  if (host === undefined || typeof cache.peek !== 'function') return undefined;
  const { headers, url } = request;
  const secure = request.secure === true;
  let memo = ctx.plain.get(secure, host, url);
  const known = memo !== undefined;
  memo ??= memoOf(ctx, request, host);
  if (memo === undefined) return undefined;
  const reads = ctx.plain.readsOf(cache);
  let list = kept(reads, memo.listRef);
  if (list === undefined) {
    list = cache.peek(memo.listKey);
    memo.listRef = list === undefined ? undefined : reads?.ref(memo.listKey);
  }
  if (list !== memo.list || list === undefined) {
    if (!checkedOnce(list, isVaryList)) return undefined;
    useList(memo, list);
  }
  // remembered only for URLs with a page in memory: URLs made up by the million cost nothing here
  if (!known) ctx.plain.set(secure, url, memo);
  const variant = variantOf(ctx, memo, list as readonly string[], headers);
  if (variant === undefined) return undefined;
  let record = kept(reads, variant.pageRef);
  if (record === undefined) {
    record = cache.peek(variant.key);
    variant.pageRef = record === undefined ? undefined : reads?.ref(variant.key);
  }
  // the page's prebuilt response, kept on the record: the memo holds no page the tier dropped
  let ready = preparedPageOf(record);
  if (ready === undefined || ready.coveredList !== list) {
    if (!checkedOnce(record, isPageRecord) || !coversVaryList(record, list as readonly string[])) return undefined;
    ready = readyPageOf(record);
    ready.coveredList = list as readonly string[];
  }
  const now = clock.now();
  if (!(now < ready.record.freshUntil)) return undefined;
  return ready.hit(now, cacheStatus, request.method === 'HEAD');
}

/** What `peek` would answer, read through `ref` (one slot, no map probe); undefined when it no longer holds. */
function kept(reads: LocalReads | undefined, ref: SlotRef | undefined): unknown {
  return reads !== undefined && ref !== undefined ? reads.read(ref) : undefined;
}

/**
 * Remembers a page just stored for the plain requests of its URL, as the first hit would: the
 * URL's memo, the list and the page's prebuilt response. The first hit of a page then costs
 * what every later one does (with 10,000 pages, a round of load may ask for each page once).
 * Nothing for a request the hit path would not answer; the hit path checks both by identity.
 */
export function rememberStored(ctx: PageContext, request: PageRequest, list: readonly string[], key: string, record: PageRecord): void {
  const host = plainHostOf(ctx, request);
  if (host === undefined) return;
  const secure = request.secure === true;
  let memo = ctx.plain.get(secure, host, request.url);
  if (memo === undefined) {
    memo = memoOf(ctx, request, host);
    if (memo === undefined) return;
    ctx.plain.set(secure, request.url, memo);
  }
  if (memo.list !== list) useList(memo, list);
  const reads = ctx.plain.readsOf(ctx.options.cache);
  memo.listRef = reads?.ref(memo.listKey);
  const variant = variantOf(ctx, memo, list, request.headers);
  // the key a plain request like this one reads must be the one the page went under
  if (variant !== undefined && variant.key === key) {
    variant.pageRef = reads?.ref(key);
    if (coversVaryList(record, list)) readyPageOf(record).coveredList = list;
  }
}

/** The request's `Host` when the hit path may answer it: a plain GET or HEAD (see `plainHost`), nothing declared, no variants. */
function plainHostOf(ctx: PageContext, request: PageRequest): string | undefined {
  const { method, headers, url } = request;
  if ((method !== 'GET' && method !== 'HEAD') || request.hasBody !== false || typeof url !== 'string') return undefined;
  if (declares(request.varyHeaders) || declares(request.varyCookies) || ctx.options.variants.length > 0) return undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  return plainHost(headers);
}

/** A new list (the origin's Vary changed, or the entry was stored again): variants made under the old one go. */
function useList(memo: UrlMemo, list: readonly string[]): void {
  memo.list = list;
  memo.only = undefined;
  memo.variants = undefined;
}

function declares(names: readonly string[] | undefined): boolean {
  return names !== undefined && names.length > 0;
}

/**
 * One pass over the request's headers: its `Host` when the request is plain, `undefined` when it
 * carries anything the cache must read, a header name not in lower case (not Node's form) or a
 * field that is not one string.
 */
function plainHost(headers: RawHeaders): string | undefined {
  let host: string | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (name === 'host') {
      if (typeof value !== 'string') return undefined;
      host = value;
    } else if (NOT_PLAIN.has(name)) {
      // RFC 9112 §6.3: a zero length is no body
      if (name !== 'content-length' || value !== '0') return undefined;
    } else if (name.toLowerCase() !== name) return undefined;
  }
  return host;
}

/** The memo of a URL from the full request policy, when its plain requests are cacheable. */
function memoOf(ctx: PageContext, request: PageRequest, host: string): UrlMemo | undefined {
  const judged = judgeRequest({ ...request, headers: requestHeaders(request.headers) }, ctx.options);
  if (!judged.cacheable || judged.authorization || judged.noCache || judged.cookies.header !== undefined) return undefined;
  return {
    host,
    other: undefined,
    verdict: judged,
    listKey: listKeyOf(ctx, judged),
    listRef: undefined,
    list: undefined,
    only: undefined,
    variants: undefined,
  };
}

function listKeyOf(ctx: PageContext, verdict: CacheableRequest): string {
  const { scheme, host, path } = verdict.target;
  return varyListKey(ctx.options.keyPrefix, scheme, host, path);
}

/** The request's variant under `list`, its key made once per list and values of its headers. */
function variantOf(ctx: PageContext, memo: UrlMemo, list: readonly string[], headers: RawHeaders): Variant | undefined {
  if (list.length === 0) {
    memo.only ??= { key: variantKey(ctx, requestHeaders(headers), memo.verdict, list), pageRef: undefined };
    return memo.only;
  }
  const values = valuesOf(list, headers);
  if (values === undefined) return undefined;
  memo.variants ??= new Map();
  let variant = memo.variants.get(values);
  if (variant === undefined) {
    variant = { key: variantKey(ctx, requestHeaders(headers), memo.verdict, list), pageRef: undefined };
    if (memo.variants.size >= MAX_KEYS_PER_URL) memo.variants.clear();
    memo.variants.set(values, variant);
  }
  return variant;
}

/**
 * The values of the listed headers as one unambiguous text: `-|` for an absent field,
 * `<length>:<value>|` for a present one. `undefined` when a field is not one string.
 */
function valuesOf(list: readonly string[], headers: RawHeaders): string | undefined {
  let text = '';
  for (const name of list) {
    const value = headers[name];
    if (value === undefined) text += '-|';
    else if (typeof value === 'string') text += `${value.length}:${value}|`;
    else return undefined;
  }
  return text;
}
