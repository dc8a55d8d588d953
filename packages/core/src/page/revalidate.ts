import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { message } from '../errors.js';
import { HOP_BY_HOP, headerValue, type RawHeaders } from '../http/headers.js';
import { type RevalidationSecrets, verifyRevalidationToken } from './revalidation-secret.js';

/** The request header that marks this process's own background revalidation. */
export const REVALIDATE_HEADER = 'x-cachette-revalidate';
/** How long a background revalidation may take before it is abandoned. */
const REVALIDATE_TIMEOUT_MS = 30_000;
/** Never sent on a background revalidation: credentials, and what the loopback sets itself. */
const NEVER_FORWARDED = new Set([...HOP_BY_HOP, 'authorization', 'cookie', 'host', 'content-length', REVALIDATE_HEADER]);

/**
 * Whether a request carries the revalidation header: `valid` with a token made for this URL by
 * this fleet's secret (or this process's, without one), `invalid` with anything else (another
 * fleet's, an old one, one for another URL, or forged).
 */
export function revalidationMark(
  headers: RawHeaders,
  url: string,
  secrets: RevalidationSecrets,
  now: number,
): 'valid' | 'invalid' | 'absent' {
  const value = headerValue(headers, REVALIDATE_HEADER);
  if (value === undefined) return 'absent';
  return verifyRevalidationToken(secrets, value, url, now) ? 'valid' : 'invalid';
}

/** What a background revalidation sends. */
export interface RevalidationRequest {
  local: { address: string; port: number; tls?: boolean };
  /** The signed token for this URL (see `revalidationToken`). */
  token: string;
  /** Path and query as the original request had them. */
  url: string;
  host: string;
  /** Names of the request headers that enter the key (Vary'd, routing). */
  headerNames: readonly string[];
  headers: RawHeaders;
  /** The declared cookies only. */
  cookie: string | undefined;
}

/**
 * Asks the server itself, over loopback, to render a page again (RFC 5861 §3): a GET to
 * `local` with the same path, Host, keyed headers and declared cookies, never Authorization
 * or other cookies, and a token signed with the fleet's (or this process's) secret, so that
 * whichever worker it reaches renders without lookup; over TLS when the request came on TLS.
 * Resolves when the response has been read; rejects on a network error or timeout.
 */
export function revalidateInBackground(job: RevalidationRequest): Promise<void> {
  const headers: Record<string, string> = Object.create(null);
  for (const name of job.headerNames) {
    const value = headerValue(job.headers, name);
    if (value !== undefined && !NEVER_FORWARDED.has(name)) headers[name] = value;
  }
  headers.host = job.host;
  if (job.cookie !== undefined) headers.cookie = job.cookie;
  headers[REVALIDATE_HEADER] = job.token;
  headers.connection = 'close';
  const target = { host: job.local.address, port: job.local.port, method: 'GET', path: job.url, headers, agent: false };
  return new Promise<void>((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      res.on('error', reject);
      res.on('end', resolve);
      res.resume();
    };
    // A TLS socket of this very server is spoken to as such. Its certificate names the site,
    // not the loopback address, and the peer is known: the address the request came in on.
    const req = job.local.tls
      ? httpsRequest({ ...target, servername: sniName(job.host), rejectUnauthorized: false }, onResponse)
      : httpRequest(target, onResponse);
    req.setTimeout(REVALIDATE_TIMEOUT_MS, () => req.destroy(new Error(message(`background revalidation of ${job.url} timed out`))));
    req.on('error', reject);
    req.end();
  });
}

/** The Host without its port, for SNI; none for an IP literal (RFC 6066 §3). */
function sniName(host: string): string | undefined {
  const name = host.replace(/:\d+$/, '');
  return /^[\d.]+$|^\[/.test(name) ? undefined : name;
}
