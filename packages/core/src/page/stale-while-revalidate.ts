import { CachetteError, ErrorCode, message } from '../errors.js';
import { headerValue } from '../http/headers.js';
import type { Lookup, PageContext } from './page-store.js';
import type { CacheableRequest } from './request-policy.js';
import { revalidateInBackground } from './revalidate.js';
import { revalidationToken } from './revalidation-secret.js';
import { ROUTING_HEADERS } from './target.js';
import type { PageRequest } from './types.js';

/** Longest a key is held as "revalidating" should the loopback never answer. */
const HOLD_MS = 60_000;

/**
 * Starts one background revalidation of a stale page (RFC 5861 §3), unless one is under way
 * for the same key. Returns false when it cannot be done from here, and the stale page must
 * be treated as a miss: no `local` address, a request marked secure on a socket not known to be
 * TLS (behind a proxy: the loopback could not speak its protocol), or a request whose variant
 * depends on credentials the loopback never sends.
 */
export function startRevalidation(ctx: PageContext, request: PageRequest, verdict: CacheableRequest, found: Lookup): boolean {
  const varyNames = found.varyNames ?? verdict.varyHeaders;
  const local = request.local;
  if (!local || (request.secure && local.tls !== true) || verdict.authorization || varyNames.includes('authorization')) return false;
  if (typeof local.address !== 'string' || !Number.isInteger(local.port)) return false;
  const now = ctx.options.clock.now();
  const until = ctx.revalidating.get(found.key);
  if (until !== undefined && now < until) return true;
  ctx.revalidating.set(found.key, now + HOLD_MS);
  const host = headerValue(request.headers, 'host') ?? headerValue(request.headers, ':authority') ?? verdict.target.host;
  revalidateInBackground({
    local,
    token: revalidationToken(ctx.options.revalidationSecrets, request.url, now),
    url: request.url,
    host,
    headerNames: [...varyNames, ...ROUTING_HEADERS],
    headers: request.headers,
    cookie: verdict.cookies.header,
  })
    .catch((cause: unknown) =>
      ctx.report(new CachetteError(ErrorCode.RevalidationFailed, message(`background revalidation of ${request.url} failed`), { cause })),
    )
    .finally(() => {
      if (ctx.revalidating.get(found.key) === now + HOLD_MS) ctx.revalidating.delete(found.key);
    });
  return true;
}
