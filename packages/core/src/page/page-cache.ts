import type { Duration } from '../time/duration.js';
import type { CacheStatusInfo } from './cache-status.js';
import { createCapture, type RenderPlan } from './capture.js';
import { replay } from './conditional-serve.js';
import { RenderFlights } from './flights.js';
import { type ResolvedPageOptions, resolvePageOptions } from './options.js';
import { type Lookup, lookupPage, type PageContext } from './page-store.js';
import { invalidatingPass } from './purge.js';
import { answerRange, splitRange } from './range.js';
import { freshness } from './record.js';
import { type CacheableRequest, judgeRequest } from './request-policy.js';
import { revalidationMark } from './revalidate.js';
import { startRevalidation } from './stale-while-revalidate.js';
import type { PageCache, PageCacheOptions, PageDecision, PageRequest } from './types.js';
import { withDeclaredVary } from './vary-names.js';

const PASS: PageDecision = Object.freeze({ action: 'pass' });

/**
 * Django's `cache_page` for any framework: a page cache for one route. Every option is checked
 * here (`InvalidOptionError`). Adapters call `begin(request)` and do what it decides; `begin`
 * never rejects — a failure inside is reported to `onError` and answered `pass`.
 *
 * @example
 * ```ts
 * const pages = createPageCache('15m', { statuses: { 200: '15m', 404: '30s' }, cacheStatus: 'cachette', hosts: ['.example.com'] })
 * const decision = await pages.begin({ method: 'GET', url: '/', headers: req.headers, secure: false, hasBody: false })
 * ```
 */
export function createPageCache(ttl: Duration, options?: PageCacheOptions): PageCache {
  const resolved = resolvePageOptions(ttl, options);
  const ctx: PageContext = {
    options: resolved,
    flights: new RenderFlights(resolved.clock, resolved.lockTimeout),
    revalidating: new Map(),
    report: (error) => report(resolved, error),
  };
  return Object.freeze({
    async begin(request: PageRequest): Promise<PageDecision> {
      try {
        return await decide(ctx, request);
      } catch (error) {
        ctx.report(error);
        return PASS;
      }
    },
  });
}

function report(options: ResolvedPageOptions, error: unknown): void {
  try {
    options.onError(error);
  } catch {
    // onError is the last resort; a throwing one must not break a request either
  }
}

async function decide(ctx: PageContext, received: PageRequest): Promise<PageDecision> {
  if (typeof received !== 'object' || received === null || typeof received.headers !== 'object' || received.headers === null) return PASS;
  // RFC 9110 §14: one byte range is cut from a fresh stored page; on anything else it is passed.
  const { request, range } = splitRange(received);
  // Throws on a declared name that is not a token: reported, and the request passed (see begin).
  const verdict = judgeRequest(request, withDeclaredVary(ctx.options, request));
  if (!verdict.cacheable) return verdict.invalidates ? invalidatingPass(ctx, verdict.invalidates) : PASS;
  const mark = revalidationMark(request.headers);
  // Another process's (or a forged) revalidation: never serve it stale, never store from it.
  if (mark === 'invalid') return PASS;
  const found = await lookupPage(ctx, request.headers, verdict);
  if (mark === 'valid') return render(ctx, { request, verdict, found, fwd: 'request', background: true });
  // RFC 9111 §3.5: a request with Authorization is answered only by a page stored as shareable.
  const record = found.record && (!verdict.authorization || found.record.shared) ? found.record : undefined;
  const usable: Lookup = { ...found, record };
  if (record && !verdict.noCache) {
    const state = freshness(record, ctx.options.clock.now());
    if (state === 'fresh') return answerRange(serve(ctx, request, usable, { hit: true }), range);
    if (state === 'stale-while-revalidate' && startRevalidation(ctx, request, verdict, usable))
      return answerRange(serve(ctx, request, usable, { hit: true }), range);
  }
  // HEAD and Range are served from a stored GET, never rendered into the cache.
  if (verdict.head || range) return PASS;
  const fwd: RenderPlan['fwd'] = verdict.noCache ? 'request' : record ? 'stale' : found.varyNames ? 'vary-miss' : 'uri-miss';
  // Requests with credentials or asking for a fresh render do not lead nor wait for others.
  if (verdict.authorization || verdict.noCache) return render(ctx, { request, verdict, found: usable, fwd });
  return renderOnce(ctx, request, verdict, usable, fwd);
}

/**
 * Concurrent misses of one page key render once; the others wait for its outcome. The key is
 * the URL's learned Vary list (or the route's own `varyHeaders` before any is learned), never
 * the names declared for one request: whatever a request declared, it waits on the same render.
 */
async function renderOnce(
  ctx: PageContext,
  request: PageRequest,
  verdict: CacheableRequest,
  found: Lookup,
  fwd: RenderPlan['fwd'],
): Promise<PageDecision> {
  if (ctx.flights.isUncacheable(found.key)) return render(ctx, { request, verdict, found, fwd });
  const settle = ctx.flights.lead(found.key);
  if (settle) return render(ctx, { request, verdict, found, fwd, settle });
  const outcome = await ctx.flights.waitFor(found.key);
  if (outcome === 'stored') {
    const again = await lookupPage(ctx, request.headers, verdict);
    if (again.record && freshness(again.record, ctx.options.clock.now()) === 'fresh') {
      return serve(ctx, request, again, { fwd: 'miss', collapsed: true });
    }
    return render(ctx, { request, verdict, found: { ...again, record: again.record ?? found.record }, fwd });
  }
  // Not storable, failed or timed out: a render of its own, never someone else's response.
  return render(ctx, { request, verdict, found, fwd });
}

function render(ctx: PageContext, plan: RenderPlan): PageDecision {
  return { action: 'render', capture: createCapture(ctx, plan) };
}

function serve(ctx: PageContext, request: PageRequest, found: Lookup, status: CacheStatusInfo): PageDecision {
  const record = found.record;
  if (!record) return PASS;
  const response = replay(record, request, { now: ctx.options.clock.now(), cacheStatus: ctx.options.cacheStatus, status });
  return { action: 'serve', response };
}
