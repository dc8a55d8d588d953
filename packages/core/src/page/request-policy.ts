import { parseCacheControl } from '../http/cache-control.js';
import { headerValue, type RawHeaders } from '../http/headers.js';
import { pragmaNoCache } from '../http/pragma.js';
import type { KeyPair } from './key.js';
import { declaredCookies, type RequestCookies } from './learn-vary.js';
import type { VaryDeclared } from './stored-headers.js';
import { type PageTarget, resolveTarget, type TargetOptions } from './target.js';
import type { PageRequest } from './types.js';

/** Why a request is neither served from nor stored in the cache. */
export type RequestVeto = 'method' | 'method-override' | 'target' | 'body' | 'no-store' | 'range' | 'cookies';

/** A request the cache may answer or store for; `varyHeaders` / `varyCookies` are the names its route declares. */
export interface CacheableRequest extends VaryDeclared {
  cacheable: true;
  target: PageTarget;
  head: boolean;
  /** Carries Authorization: only `public` / `s-maxage` pages serve it or are stored from it (RFC 9111 §3.5). */
  authorization: boolean;
  /**
   * `Cache-Control: no-cache` (or `Pragma: no-cache`) with `honorClientNoCache`: render, do not
   * serve from the cache (RFC 9111 §5.2.1.4). Always false without the option.
   */
  noCache: boolean;
  cookies: RequestCookies;
  /** The route's `variants`, resolved for this request, by name; none without the option. */
  variants?: readonly KeyPair[];
  /** Request headers the variants read: keyed by the resolved values, never by their raw values. */
  variantReads?: readonly string[];
}

export type RequestVerdict =
  | CacheableRequest
  /** `invalidates`: the URL whose pages a successful response drops (RFC 9111 §4.4). */
  | { cacheable: false; veto: RequestVeto; invalidates: PageTarget | undefined };

/** What `judgeRequest` needs to know of a route. */
export interface RequestPolicyOptions extends TargetOptions {
  varyCookies: readonly string[];
  /** Lower-case header names the route varies on. Default none. */
  varyHeaders?: readonly string[];
  /** Honour a request's `no-cache` (RFC 9111 §5.2.1.4). Default false: ignored, as Django, Varnish and nginx do. */
  honorClientNoCache?: boolean;
}

const NONE: readonly string[] = Object.freeze([]);

// RFC 9110 §9.2.1; anything else is unsafe, and its success invalidates (RFC 9111 §4.4).
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const METHOD_OVERRIDES = ['x-http-method-override', 'x-http-method', 'x-method-override'];
// A cache must not answer these from a stored full response (RFC 9110 §13.2.1, §14.2): pass.
const RANGE_AND_PRECONDITIONS = ['range', 'if-range', 'if-match', 'if-unmodified-since'];

/**
 * The request-side vetoes, before any lookup: what may be served from or stored in the cache.
 *
 * @example
 * judgeRequest({ method: 'POST', url: '/a', headers: { host: 'x.test' }, secure: false, hasBody: true }, opts)
 * // { cacheable: false, veto: 'method', invalidates: { scheme: 'http', host: 'x.test', path: '/a' } }
 */
export function judgeRequest(request: PageRequest, options: RequestPolicyOptions): RequestVerdict {
  const { method } = request;
  const headers: RawHeaders = request.headers ?? {};
  const target = resolveTarget({ url: request.url, headers, secure: request.secure }, options);
  // Methods are case-sensitive (RFC 9110 §9.1): `get` is not GET, and is not known to be safe.
  if (method !== 'GET' && method !== 'HEAD') return veto('method', SAFE.has(method) ? undefined : target);
  // The application may act on the overridden method: treat as unsafe.
  if (METHOD_OVERRIDES.some((name) => headerValue(headers, name) !== undefined)) return veto('method-override', target);
  if (target === undefined) return veto('target');
  if (request.hasBody !== false || hasBodyHeaders(headers)) return veto('body');
  const cc = parseCacheControl(headerValue(headers, 'cache-control'));
  if (cc.noStore || cc.invalid) return veto('no-store');
  if (RANGE_AND_PRECONDITIONS.some((name) => headerValue(headers, name) !== undefined)) return veto('range');
  const cookies = declaredCookies(headers, options.varyCookies);
  if (cookies === undefined) return veto('cookies');
  return {
    cacheable: true,
    target,
    head: method === 'HEAD',
    authorization: headerValue(headers, 'authorization') !== undefined,
    noCache: options.honorClientNoCache === true && (cc.noCache || pragmaNoCache(headers)),
    cookies,
    varyHeaders: options.varyHeaders ?? NONE,
    varyCookies: options.varyCookies,
  };
}

function veto(reason: RequestVeto, invalidates?: PageTarget): RequestVerdict {
  return { cacheable: false, veto: reason, invalidates };
}

/** A body announced by the headers, whatever the adapter said (RFC 9112 §6.3). */
function hasBodyHeaders(headers: RawHeaders): boolean {
  const length = headerValue(headers, 'content-length');
  return headerValue(headers, 'transfer-encoding') !== undefined || (length !== undefined && length.trim() !== '0');
}
