import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { message } from '../errors.js';
import { HOP_BY_HOP, headerValue, type RawHeaders } from '../http/headers.js';

/** The request header that marks this process's own background revalidation. */
export const REVALIDATE_HEADER = 'x-cachette-revalidate';
/** How long a background revalidation may take before it is abandoned. */
const REVALIDATE_TIMEOUT_MS = 30_000;
/** Never sent on a background revalidation: credentials, and what the loopback sets itself. */
const NEVER_FORWARDED = new Set([...HOP_BY_HOP, 'authorization', 'cookie', 'host', 'content-length', REVALIDATE_HEADER]);

let secret: Buffer | undefined;

/** A random secret per process, made on first use. */
function processSecret(): Buffer {
  secret ??= randomBytes(32);
  return secret;
}

/**
 * Whether a request carries the revalidation header: `valid` with this process's secret
 * (compared in constant time), `invalid` with anything else (another process's, or forged).
 */
export function revalidationMark(headers: RawHeaders): 'valid' | 'invalid' | 'absent' {
  const value = headerValue(headers, REVALIDATE_HEADER);
  if (value === undefined) return 'absent';
  // Compare digests: equal lengths for timingSafeEqual, and no leak of the secret's length.
  const given = createHash('sha256').update(value).digest();
  const expected = createHash('sha256').update(processSecret().toString('base64url')).digest();
  return timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}

/** What a background revalidation sends. */
export interface RevalidationRequest {
  local: { address: string; port: number };
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
 * or other cookies, and the process secret so that the page cache renders without lookup.
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
  headers[REVALIDATE_HEADER] = processSecret().toString('base64url');
  headers.connection = 'close';
  return new Promise<void>((resolve, reject) => {
    const req = httpRequest(
      { host: job.local.address, port: job.local.port, method: 'GET', path: job.url, headers, agent: false },
      (res) => {
        res.on('error', reject);
        res.on('end', resolve);
        res.resume();
      },
    );
    req.setTimeout(REVALIDATE_TIMEOUT_MS, () => req.destroy(new Error(message(`background revalidation of ${job.url} timed out`))));
    req.on('error', reject);
    req.end();
  });
}
