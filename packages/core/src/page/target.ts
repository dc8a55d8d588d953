import { headerValue, type RawHeaders } from '../http/headers.js';
import { matchesAllowedHost, splitHostPort } from '../http/host.js';
import { splitList } from '../http/tokenizer.js';

/** What a page is of: scheme, validated host and path, as they enter the key. */
export interface PageTarget {
  scheme: 'http' | 'https';
  /** Lower-cased host name, `:port` only when not the scheme's default. */
  host: string;
  /** Path and query as received (query parameters sorted with `sortQuery`). */
  path: string;
}

/** What `resolveTarget` needs to know of a route. */
export interface TargetOptions {
  trustProxy: boolean;
  hosts: readonly string[] | undefined;
  sortQuery: boolean;
}

/**
 * Request headers that steer how frameworks build URLs or route (web cache poisoning through
 * "unkeyed inputs"). Whatever `trustProxy` says, their values always join the key, so a
 * request that carries one never shares a page with a request that does not. (RFC 7239
 * `Forwarded` is left out: it carries the client address, which would split the cache per
 * client, and Express, Koa and Nest do not read it.)
 */
export const ROUTING_HEADERS: readonly string[] = Object.freeze([
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-forwarded-proto',
  'x-forwarded-scheme',
  'x-forwarded-server',
  'x-host',
  'x-original-url',
  'x-rewrite-url',
]);

const MAX_URL_LENGTH = 8192;
// origin-form only (RFC 9112 §3.2.1): one leading slash, visible ASCII, no fragment.
const ORIGIN_FORM = /^\/(?![/\\])[!-"$-~]*$/;
const DEFAULT_PORT = { http: 80, https: 443 } as const;

/**
 * The scheme, host and path of a request, or `undefined` when any of them cannot be trusted
 * (an invalid or not-allowed host, an absolute-form or odd URL): such a request is never cached.
 *
 * @example
 * resolveTarget({ method: 'GET', url: '/a', headers: { host: 'Example.com:80' }, secure: false, hasBody: false }, opts)
 * // { scheme: 'http', host: 'example.com', path: '/a' }
 */
export function resolveTarget(
  request: { url: string; headers: RawHeaders; secure: boolean },
  options: TargetOptions,
): PageTarget | undefined {
  const { url, headers } = request;
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || !ORIGIN_FORM.test(url)) return undefined;
  const scheme = resolveScheme(headers, request.secure === true, options.trustProxy);
  const host = resolveHost(headers, options.trustProxy);
  if (scheme === undefined || host === undefined) return undefined;
  // Django's ALLOWED_HOSTS: a page is never kept for a host the site does not serve.
  if (options.hosts !== undefined && !matchesAllowedHost(host, options.hosts)) return undefined;
  const split = splitHostPort(host);
  if (split === undefined) return undefined;
  const port = split.port === undefined || split.port === DEFAULT_PORT[scheme] ? '' : `:${split.port}`;
  return { scheme, host: `${split.hostname}${port}`, path: options.sortQuery ? sortQuery(url) : url };
}

function resolveScheme(headers: RawHeaders, secure: boolean, trustProxy: boolean): 'http' | 'https' | undefined {
  const forwarded = trustProxy ? headerValue(headers, 'x-forwarded-proto') : undefined;
  if (forwarded === undefined) return secure ? 'https' : 'http';
  const first = splitList(forwarded)[0]?.toLowerCase();
  return first === 'http' || first === 'https' ? first : undefined;
}

function resolveHost(headers: RawHeaders, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? headerValue(headers, 'x-forwarded-host') : undefined;
  if (forwarded !== undefined) return splitList(forwarded)[0];
  const host = headerValue(headers, 'host');
  const authority = headerValue(headers, ':authority');
  // HTTP/2 gives :authority; two different authorities are ambiguous (RFC 9113 §8.3.1).
  if (host !== undefined && authority !== undefined && host !== authority) return undefined;
  return host ?? authority;
}

/**
 * Sorts query parameters by name, keeping the order of repeated names (`a=2&a=1` is not
 * `a=1&a=2` to an application that reads a list).
 *
 * @example
 * sortQuery('/p?b=2&a=1&b=1') // '/p?a=1&b=2&b=1'
 */
export function sortQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url.slice(q + 1).split('&');
  const name = (param: string) => param.split('=', 1)[0] as string;
  params.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/**
 * The path under which a URL's pages are purged: WHATWG-normalised, percent-encoding in its
 * normal form (RFC 3986 §6.2.2: unreserved characters decoded, hex digits upper-cased, as
 * RFC 9110 §4.2.3 compares http URIs), then — since Express, Koa and Nest route without case
 * or strict trailing slash by default — the path lower-cased and one trailing slash dropped,
 * query sorted. Purging too much is safe, too little is not (RFC 9111 §4.4). The request side
 * and `purgeUrl` both go through it, so `/a/../B/?y&x` and `/b?x&y` purge together.
 */
export function purgePath(pathAndQuery: string): string {
  const url = new URL(pathAndQuery, 'http://purge.invalid');
  let path = normalPercent(url.pathname).toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return sortQuery(`${path}${normalPercent(url.search)}`);
}

const PERCENT = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9._~-]$/;

function normalPercent(text: string): string {
  return text.replace(PERCENT, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}
