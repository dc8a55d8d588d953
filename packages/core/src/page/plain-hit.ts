import type { RawHeaders } from '../http/headers.js';
import { requestHeaders } from '../http/headers.js';
import { varyListKey } from './key.js';
import { isVaryList } from './learn-vary.js';
import { checkedOnce, type PageContext, variantKey } from './page-store.js';
import { type ReadyResponse, readyHit } from './ready-page.js';
import { coversVaryList, isPageRecord } from './record.js';
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

/** What a plain request of one URL resolves to, whatever its other headers say. */
interface UrlMemo {
  /** Its verdict (target, no cookies, no credentials): the same for every plain request of the URL. */
  verdict: CacheableRequest;
  listKey: string;
  /** The Vary list the keys below were made under (the very array the memory tier holds). */
  list: readonly string[] | undefined;
  /** Page keys by the request's values of the list's headers (see `valuesOf`). */
  keys: Map<string, string>;
}

/** Plain requests remembered per host and URL, for http and https; bounded, started over when full. */
export class PlainMemo {
  readonly #byScheme = [new Map<string, Map<string, UrlMemo>>(), new Map<string, Map<string, UrlMemo>>()];
  #size = 0;

  get(secure: boolean, host: string, url: string): UrlMemo | undefined {
    return this.#byScheme[secure ? 1 : 0]?.get(host)?.get(url);
  }

  set(secure: boolean, host: string, url: string, memo: UrlMemo): void {
    if (this.#size >= MAX_URLS) {
      for (const hosts of this.#byScheme) hosts.clear();
      this.#size = 0;
    }
    const hosts = this.#byScheme[secure ? 1 : 0] as Map<string, Map<string, UrlMemo>>;
    let urls = hosts.get(host);
    if (urls === undefined) {
      urls = new Map();
      hosts.set(host, urls);
    }
    urls.set(url, memo);
    this.#size++;
  }
}

const MAX_URLS = 50_000;
const MAX_KEYS_PER_URL = 256;

/**
 * The hit path: a plain GET or HEAD (no header the cache must read, see `NOT_PLAIN`) of a fresh
 * page in the memory tier, answered synchronously — one pass over the headers, the URL's memo,
 * two memory reads, the page's prebuilt response. `undefined`: anything else, which the full
 * decision (`begin`) handles, with every rule (stale pages, 304s, ranges, credentials, cookies).
 */
export function plainHit(ctx: PageContext, request: PageRequest): ReadyResponse | undefined {
  const { method, headers, url } = request;
  if ((method !== 'GET' && method !== 'HEAD') || request.hasBody !== false || typeof url !== 'string') return undefined;
  if (declares(request.varyHeaders) || declares(request.varyCookies) || ctx.options.variants.length > 0) return undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const host = plainHost(headers);
  if (host === undefined) return undefined;
  const { cache, clock, cacheStatus } = ctx.options;
  if (typeof cache.peek !== 'function') return undefined;
  const secure = request.secure === true;
  let memo = ctx.plain.get(secure, host, url);
  const known = memo !== undefined;
  memo ??= memoOf(ctx, request);
  if (memo === undefined) return undefined;
  const list = cache.peek(memo.listKey);
  if (!checkedOnce(list, isVaryList)) return undefined;
  // remembered only for URLs with a page in memory: URLs made up by the million cost nothing here
  if (!known) ctx.plain.set(secure, host, url, memo);
  const key = keyOf(ctx, memo, list, headers);
  if (key === undefined) return undefined;
  const record = cache.peek(key);
  if (!checkedOnce(record, isPageRecord) || !coversVaryList(record, list)) return undefined;
  const now = clock.now();
  if (!(now < record.freshUntil)) return undefined;
  return readyHit(record, now, cacheStatus, method === 'HEAD');
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
function memoOf(ctx: PageContext, request: PageRequest): UrlMemo | undefined {
  const judged = judgeRequest({ ...request, headers: requestHeaders(request.headers) }, ctx.options);
  if (!judged.cacheable || judged.authorization || judged.noCache || judged.cookies.header !== undefined) return undefined;
  return { verdict: judged, listKey: listKeyOf(ctx, judged), list: undefined, keys: new Map() };
}

function listKeyOf(ctx: PageContext, verdict: CacheableRequest): string {
  const { scheme, host, path } = verdict.target;
  return varyListKey(ctx.options.keyPrefix, scheme, host, path);
}

/** The request's page key under `list`, made once per list and values of its headers. */
function keyOf(ctx: PageContext, memo: UrlMemo, list: readonly string[], headers: RawHeaders): string | undefined {
  if (memo.list !== list) {
    memo.list = list;
    memo.keys.clear();
  }
  const values = valuesOf(list, headers);
  if (values === undefined) return undefined;
  let key = memo.keys.get(values);
  if (key === undefined) {
    key = variantKey(ctx, requestHeaders(headers), memo.verdict, list);
    if (memo.keys.size >= MAX_KEYS_PER_URL) memo.keys.clear();
    memo.keys.set(values, key);
  }
  return key;
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
