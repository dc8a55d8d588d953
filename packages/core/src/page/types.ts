import type { Cache } from '../cache/cache.js';
import type { RawHeaders } from '../http/headers.js';
import type { Clock } from '../time/clock.js';
import type { Duration } from '../time/duration.js';
import type { PageVariants } from './variants.js';

/**
 * A request as an adapter hands it to the page cache: what the framework received,
 * translated, nothing decided.
 */
export interface PageRequest {
  /** As received, e.g. `GET`. */
  method: string;
  /** Path and query as received (`req.originalUrl` in Express, `ctx.originalUrl` in Koa). */
  url: string;
  /** The request headers (Node's `IncomingHttpHeaders`, or any casing). */
  headers: RawHeaders;
  /** True when this socket is TLS. `X-Forwarded-Proto` counts only with `trustProxy`. */
  secure: boolean;
  /** True when the request carries a body (`Content-Length` > 0 or `Transfer-Encoding`). */
  hasBody: boolean;
  /** The server's own socket address, used to revalidate stale pages in the background. */
  local?: { address: string; port: number; tls?: boolean };
  /** Route parameters, for `tags(req)`. */
  params?: Record<string, string>;
  /**
   * Request headers this route declared for this request (`varyOnHeaders` in front of the page
   * cache), besides the options' `varyHeaders`. A name that is not a token: the request is
   * passed and the mistake reported to `onError`.
   */
  varyHeaders?: readonly string[];
  /** Cookies this route declared for this request (`varyOnCookies`), besides the options' `varyCookies`. Checked as `varyHeaders`. */
  varyCookies?: readonly string[];
}

/** A complete response: what is stored, and what an adapter writes back. */
export interface PageResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[]>;
  body: Uint8Array;
  /**
   * The handler streamed the body (several writes, a stream) rather than sending it whole. The
   * cache makes no `ETag` for it (Django's ConditionalGetMiddleware skips streaming responses).
   */
  streamed?: boolean;
}

/** What the adapter does with a request, as the page cache decided it. */
export type PageDecision =
  /** Write `response` as it is (a hit, a 304, a HEAD without body) and do not run the handler. */
  | { action: 'serve'; response: PageResponse }
  /**
   * Run the handler, buffer what it writes, then call `capture.finish(response)` and write
   * what that returns. Past `capture.maxBodyBytes`, call `capture.overflow()` and stream the
   * rest straight through; when the response is streamed on purpose, `capture.abandon()`.
   */
  | { action: 'render'; capture: PageCapture }
  /**
   * Run the handler untouched; call `onFinish(status, headers)` once the response has finished, if
   * given, with the response headers (`res.getHeaders()`) so that `Location` and `Content-Location`
   * are invalidated too. Set `headers` on the response before the handler runs (this cache's
   * `Cache-Status`).
   */
  | { action: 'pass'; onFinish?: (status: number, headers?: RawHeaders) => void; headers?: Readonly<Record<string, string>> };

/** A render in progress. Every method is safe to call once; none throws. */
export interface PageCapture {
  /** Buffer at most this many body bytes; past it, the response is streamed and not stored. */
  readonly maxBodyBytes: number;
  /**
   * With `strict`: a view of the request's headers that records what the handler reads. The
   * adapter puts it in place of the request's headers (`req.headers`) before the handler runs.
   * `undefined` otherwise: nothing to do, nothing paid.
   */
  readonly headerView?: RawHeaders | undefined;
  /**
   * The handler's response is complete: store it if it may be, and get what to send. With
   * `{ untilSent: true }` the page is stored only once `sent` reports the headers that went out.
   */
  finish(response: PageResponse, options?: PageFinishOptions): Promise<PageResponse>;
  /**
   * After `finish(response, { untilSent: true })`: the headers as they actually went out, or
   * `undefined` when nothing could be sent. Headers that a middleware added on the way out
   * (Node's `on-headers`: express-session's `Set-Cookie`) and that forbid storing keep the page
   * out of the cache. Optional, for adapters whose headers can change after `finish`.
   */
  sent?(headers: PageResponse['headers'] | undefined): void;
  /** The body passed `maxBodyBytes`: it will not be stored. */
  overflow(): void;
  /**
   * This response will not be captured: it is streamed on purpose (a `neverCache` route under
   * site-wide caching, Koa's `ctx.respond = false`, Express's `flushHeaders()` for server-sent
   * events). It is not stored; requests waiting on this render render their own, and for a
   * short while the next ones do not queue behind each other either (as after an overflow).
   */
  abandon(): void;
  /** The handler threw: a stale page to send instead (stale-if-error), or undefined to let the error through. */
  fail(error: unknown): Promise<PageResponse | undefined>;
}

/** How an adapter finishes a render (see `PageCapture.finish`). */
export interface PageFinishOptions {
  /** Hold the page until `PageCapture.sent` reports the headers that went out; default false. */
  untilSent?: boolean;
}

/** `tags` of a route: fixed, or computed from the request. */
export type PageTags = readonly string[] | ((request: PageRequest) => readonly string[]);

/** Options of `cachePage`, the same in every adapter. */
export interface PageCacheOptions {
  /** The cache to store pages in. Default: one shared memory cache for pages. */
  cache?: Cache;
  /** Keeps these pages apart from others in the same cache (Django's key_prefix). */
  keyPrefix?: string;
  /** Statuses that may be stored, each with its TTL. Default `{ 200: ttl }`. Never a 5xx. */
  statuses?: Readonly<Record<number, Duration>>;
  /**
   * Serve a stale page while one background render refreshes it (RFC 5861). A response's own
   * `stale-while-revalidate=N` is honoured up to this window (site-wide: up to its status's TTL). Default `0`.
   */
  staleWhileRevalidate?: Duration;
  /**
   * Serve a stale page when the handler throws or answers 5xx (RFC 5861). A response's own
   * `stale-if-error=N` is honoured up to this window (site-wide: up to its status's TTL). Default `0`.
   */
  staleIfError?: Duration;
  /** Tags for `cache.deleteByTag`. */
  tags?: PageTags;
  /** Allowed hosts, as Django's ALLOWED_HOSTS (`.example.com`, `*`). A request for another host is not cached. Default: any valid host. */
  hosts?: readonly string[];
  /** Read scheme and host from `X-Forwarded-Proto` / `X-Forwarded-Host`. Default `false`. */
  trustProxy?: boolean;
  /** Add an RFC 9211 `Cache-Status` header under this cache name (e.g. `'cachette'`). Default: none. */
  cacheStatus?: string;
  /** Largest body stored; a larger response is streamed through and not stored. Default `'1mb'`. */
  maxBodyBytes?: number | string;
  /** How long a request waits for a concurrent render of the same page. Default `'5s'`. */
  lockTimeout?: Duration;
  /**
   * The fleet-wide secret background revalidations are signed with (HMAC of the URL and the
   * minute; the secret itself is never sent), so that a refresh reaching another worker on the
   * same port (node:cluster, PM2) is accepted there. At least 32 characters; a list for rotation,
   * newest first: it signs, all are accepted. Keep it out of client reach (an env var). Default:
   * a random secret per process, and a refresh that reaches another worker is refused.
   *
   * @example
   * ```ts
   * cachePage('15m', { cache, staleWhileRevalidate: '1m', revalidationSecret: process.env.CACHETTE_REVALIDATION_SECRET })
   * ```
   */
  revalidationSecret?: string | readonly string[];
  /** Called with errors the page cache recovered from (a failed background refresh, an invalid declared name); store failures go to the cache's `error` event. */
  onError?: (error: unknown) => void;
  /** Request headers this route varies on, besides those the response's `Vary` names. */
  varyHeaders?: readonly string[];
  /**
   * Cookies this route varies on (their values join the key). A request carrying any other
   * cookie is neither served from nor stored in the cache. Default: none.
   */
  varyCookies?: readonly string[];
  /** Sort query parameters so that `?a=1&b=2` and `?b=2&a=1` share a page. Default `false`. */
  sortQuery?: boolean;
  /**
   * Let a request's `Cache-Control: no-cache` / `Pragma: no-cache` skip the stored page and render
   * (RFC 9111 §5.2.1.4). Default `false`: as Django, Varnish and nginx, a client cannot force
   * every request through to the handler.
   */
  honorClientNoCache?: boolean;
  /**
   * Key pages on resolved values instead of raw headers: `{ lang: (req) => negotiateLanguage(req) }`
   * stores one page per language, not one per `Accept-Language` string; the headers a variant
   * reads are added to the response's `Vary` for caches downstream. Default: none.
   */
  variants?: PageVariants;
  /**
   * Keep a response out of the cache when the handler read a request header that is neither in
   * its key (learned or declared `Vary`, variants) nor a routing or conditional header (`Host`,
   * `If-None-Match`…): a page that depends on what the key does not say. Default `false`.
   */
  strict?: boolean;
  /**
   * Where Age, freshness and waits read the time. Default: the clock of `cache` (give the clock
   * to `createCache` instead, so the two never disagree); `systemClock` for a cache without one.
   */
  clock?: Clock;
}

/**
 * A route's page cache, made by `createPageCache`: adapters call `begin` for every request
 * and do what the decision says.
 */
export interface PageCache {
  /** Decides what to do with a request. Never rejects: on an internal error it answers `pass`. */
  begin(request: PageRequest): Promise<PageDecision>;
  /**
   * The hit path, synchronous: the response to send when the request is a plain GET or HEAD
   * (no `Cache-Control`, `Pragma`, conditional, `Range`, credentials, cookies, routing headers)
   * of a fresh page in the memory tier; `undefined` for anything else — then call `begin`.
   * Write it as it is (`sendPage`). Never throws: an internal error is reported, `undefined` returned.
   */
  hit(request: PageRequest): PageResponse | undefined;
}
