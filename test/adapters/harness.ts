import { request as httpRequest } from 'node:http';
import type { Cache, Duration, PageCacheOptions } from '@cachette/core';

/** What a handler saw of its request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** How a handler answers, in words every framework understands. */
export interface Reply {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** A JSON body, serialised by the framework. */
  json?: unknown;
  /**
   * A streamed body: `chunks` writes of `size` bytes, chunk i filled with byte `i % 256`; with
   * `fail`, the stream errors after those chunks instead of ending (an aborted response).
   */
  stream?: { chunks: number; size: number; fail?: boolean };
  /** A `Set-Cookie` value. */
  cookie?: string;
  /** The response's own `Vary`. */
  vary?: string;
  /** Real milliseconds before answering — only to make requests overlap, never for TTLs. */
  delay?: number;
  /** Throw instead of answering. */
  throw?: boolean;
  /**
   * Answer `304 Not Modified` (no body) when the request's `If-None-Match` / `If-Modified-Since`
   * matches this reply's `ETag` / `Last-Modified`, by the framework's own check where it has one
   * (Express `req.fresh`, Koa `ctx.fresh`; {@link isFreshByHand} for Fastify).
   */
  conditional?: boolean;
}

/**
 * What `req.fresh` decides, for frameworks without it: the request's `If-None-Match` names the
 * reply's `ETag` (weak comparison), or without one its `If-Modified-Since` is not before `Last-Modified`.
 */
export function isFreshByHand(request: Record<string, string | string[] | undefined>, reply: Record<string, string | string[]>): boolean {
  const field = (headers: Record<string, string | string[] | undefined>, name: string) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const noneMatch = field(request, 'if-none-match');
  const etag = field(reply, 'etag');
  if (noneMatch !== undefined) return etag !== undefined && noneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
  const since = Date.parse(field(request, 'if-modified-since') ?? '');
  const modified = Date.parse(field(reply, 'last-modified') ?? '');
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

/** The directives of the adapters' `cacheControl()`. */
export interface Directives {
  public?: boolean;
  private?: boolean;
  noStore?: boolean;
  noCache?: boolean;
  mustRevalidate?: boolean;
  maxAge?: Duration;
  sMaxAge?: Duration;
}

/**
 * One route, framework-neutral. Middleware order in every adapter:
 * varyOnHeaders, varyOnCookies, cachePage, neverCache, cacheControl, handler.
 */
export interface RouteSpec {
  method?: 'GET' | 'POST' | 'ALL';
  /** Express/@koa/router syntax, e.g. `/p/:id`. */
  path: string;
  cachePage?: { ttl: Duration; options?: PageCacheOptions };
  varyOnHeaders?: string[];
  varyOnCookies?: string[];
  neverCache?: boolean;
  cacheControl?: Directives;
  reply: (req: SeenRequest) => Reply | Promise<Reply>;
}

export interface AppSpec {
  routes: RouteSpec[];
  /** Mount the site-wide `cachette()` in front of every route. */
  siteWide?: PageCacheOptions & { cache: Cache; ttl?: Duration };
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Open connections the server counts (to know it saw a client go). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/** Builds a real server of the framework, listening on 127.0.0.1, port 0. */
export type MakeApp = (spec: AppSpec) => Promise<RunningApp>;

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** Runs `body` against a fresh app of `makeApp` built from `spec`, and always closes it. */
export async function withAppOf(makeApp: MakeApp, spec: AppSpec, body: (app: RunningApp) => Promise<void>): Promise<void> {
  const app = await makeApp(spec);
  try {
    await body(app);
  } finally {
    await app.close();
  }
}

/** One real HTTP request on its own connection; headers are sent exactly as given (empty ones too). */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    // frame a body explicitly: Node sends a GET's body unframed otherwise
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Sends a request and destroys the connection once the request is written: a client that goes
 * away before the answer. Resolves when the socket is closed on this side.
 */
export function abandon(url: string, headers: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { headers, agent: false });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.end(() => setImmediate(() => req.destroy()));
  });
}

/** A promise with its resolve function, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** The bytes of a `Reply.stream`, to compare with what arrived. */
export function streamBytes(spec: { chunks: number; size: number }): Buffer {
  return Buffer.concat(Array.from({ length: spec.chunks }, (_, i) => streamChunk(i, spec.size)));
}

export function streamChunk(index: number, size: number): Buffer {
  return Buffer.alloc(size, index % 256);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds (for work the server does after answering, e.g. a background refresh). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A handler call counter, with the calls' requests. */
export function counter() {
  const seen: SeenRequest[] = [];
  return {
    seen,
    get count() {
      return seen.length;
    },
    /** Wraps a reply function so that each call is counted. */
    wrap(reply: (req: SeenRequest, n: number) => Reply | Promise<Reply>) {
      return (req: SeenRequest) => {
        seen.push(req);
        return reply(req, seen.length);
      };
    },
  };
}
