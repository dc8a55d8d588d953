import { headerValue, type RawHeaders, requestHeaders } from '../http/headers.js';
import type { Duration } from '../time/duration.js';
import { type CacheStatusInfo, formatCacheStatus } from './cache-status.js';
import { createCapture, type RenderPlan } from './capture.js';
import { replay } from './conditional-serve.js';
import { RenderFlights, type Settle } from './flights.js';
import { notCached, onlyIfCached } from './only-if-cached.js';
import { type ResolvedPageOptions, resolvePageOptions } from './options.js';
import { type Lookup, lookupPage, type PageContext, variantKey } from './page-store.js';
import { PlainMemo, plainHit } from './plain-hit.js';
import { invalidatingPass } from './purge.js';
import { answerRange, splitRange } from './range.js';
import { readyHit } from './ready-page.js';
import { freshness, type PageRecord } from './record.js';
import { type CacheableRequest, judgeRequest } from './request-policy.js';
import { revalidationMark } from './revalidate.js';
import { startRevalidation } from './stale-while-revalidate.js';
import type { PageCache, PageCacheOptions, PageDecision, PageRequest, PageResponse } from './types.js';
import { withVariants } from './variants.js';
import { withDeclaredVary } from './vary-names.js';

const PASS: PageDecision = Object.freeze({ action: 'pass' });

/** The pass of a request the cache does not handle, saying so in `Cache-Status` when it has a name. */
function bypassDecision(cacheStatus: string | undefined): PageDecision {
  if (cacheStatus === undefined) return PASS;
  return Object.freeze({ action: 'pass', headers: Object.freeze({ 'cache-status': formatCacheStatus(cacheStatus, { fwd: 'bypass' }) }) });
}

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
  return pageCacheOf(resolvePageOptions(ttl, options, 'route'));
}

/** The page cache of options already resolved (route-level or site-wide). */
export function pageCacheOf(resolved: ResolvedPageOptions): PageCache {
  const ctx: PageContext = {
    options: resolved,
    flights: new RenderFlights(resolved.clock, resolved.lockTimeout),
    revalidating: new Map(),
    report: (error) => report(resolved, error),
    bypass: bypassDecision(resolved.cacheStatus),
    plain: new PlainMemo(),
  };
  return Object.freeze({
    async begin(request: PageRequest): Promise<PageDecision> {
      try {
        const hit = plainHit(ctx, request);
        if (hit !== undefined) return { action: 'serve', response: hit };
        return await decide(ctx, request);
      } catch (error) {
        ctx.report(error);
        return PASS;
      }
    },
    hit(request: PageRequest): PageResponse | undefined {
      try {
        return plainHit(ctx, request);
      } catch (error) {
        ctx.report(error);
        return undefined;
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

async function decide(ctx: PageContext, given: PageRequest): Promise<PageDecision> {
  if (typeof given !== 'object' || given === null || typeof given.headers !== 'object' || given.headers === null) return PASS;
  // RFC 9110 §14: one byte range is cut from a fresh stored page; on anything else it is passed.
  const { request: received, range } = splitRange(given);
  // The request's headers read once into a view: every later read is one property access.
  const request: PageRequest = { ...received, headers: requestHeaders(received.headers) };
  // Throws on a declared name that is not a token: reported, and the request passed (see begin).
  const judged = judgeRequest(request, withDeclaredVary(ctx.options, request));
  if (!judged.cacheable) return judged.invalidates ? invalidatingPass(ctx, judged.invalidates) : ctx.bypass;
  // Throws when a variant does not answer a string: reported, and the request passed.
  const { variants } = ctx.options;
  const verdict = variants.length === 0 ? judged : withVariants(judged, variants, request);
  const mark = revalidationMark(request.headers, request.url, ctx.options.revalidationSecrets, ctx.options.clock.now());
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
  // RFC 9111 §5.2.1.7: nothing stored may be sent, and the client asked for nothing else.
  if (onlyIfCached(request.headers)) return notCached(ctx.options.cacheStatus);
  // HEAD and Range are served from a stored GET, never rendered into the cache.
  if (verdict.head || range) return PASS;
  const fwd = forwardReason(verdict, found, record !== undefined);
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
  if (settle) return leadRender(ctx, { request, verdict, found, fwd, settle });
  const result = await ctx.flights.waitFor(found.key);
  if (result?.outcome === 'stored') {
    // The lead's page in hand, if it is this request's variant: no wait for the store.
    const page = result.page;
    if (page && variantKey(ctx, request.headers, verdict, page.varyNames) === page.key && isFresh(ctx, page.record)) {
      return serve(ctx, request, { varyNames: page.varyNames, key: page.key, record: page.record }, { fwd: 'miss', collapsed: true });
    }
    const again = await lookupPage(ctx, request.headers, verdict);
    if (again.record && isFresh(ctx, again.record)) {
      return serve(ctx, request, again, { fwd: 'miss', collapsed: true });
    }
    return render(ctx, { request, verdict, found: { ...again, record: again.record ?? found.record }, fwd });
  }
  // Waited past lockTimeout: made outside the one-render guarantee, so never stored (nginx's proxy_cache_lock_timeout).
  if (result?.outcome === 'timeout') return render(ctx, { request, verdict, found, fwd, noStore: true });
  // Not storable or failed: a render of its own, never someone else's response.
  return render(ctx, { request, verdict, found, fwd });
}

/**
 * The lead render of this process, under the cache's cluster lock when it has one: another
 * process rendering the page holds the lock, so this one waits for it (up to `lockTimeout`) and
 * serves what it stored; past `lockTimeout` it renders without storing, as in-process waiters do.
 * The lock is released once, however the render ends (stored, not storable, failed, abandoned).
 */
async function leadRender(ctx: PageContext, plan: RenderPlan & { settle: Settle }): Promise<PageDecision> {
  const { cache, lockTimeout } = ctx.options;
  if (!cache.locking) return render(ctx, plan);
  const { request, verdict, settle } = plan;
  let release: (() => Promise<void>) | undefined;
  try {
    // Held longer than anyone waits for it: a render that hangs is let go, never raced by a late taker.
    release = await cache.acquireLock(plan.found.key, { ttl: 2 * lockTimeout, wait: lockTimeout });
  } catch (error) {
    // A broken lock must not stop the page: rendered here, as without a lock.
    ctx.report(error);
    return render(ctx, plan);
  }
  if (release === undefined) {
    settle('timeout');
    return render(ctx, { ...plan, settle: undefined, noStore: true });
  }
  const unlock = once(() => release().catch((error: unknown) => ctx.report(error)));
  try {
    // Another process may have stored the page while this one waited for the lock.
    const again = await lookupPage(ctx, request.headers, verdict);
    if (again.record && again.varyNames && isFresh(ctx, again.record)) {
      settle('stored', { key: again.key, varyNames: again.varyNames, record: again.record });
      void unlock();
      return serve(ctx, request, again, { fwd: 'miss', collapsed: true });
    }
  } catch (error) {
    void unlock();
    settle('failed');
    throw error;
  }
  return render(ctx, {
    ...plan,
    settle: (outcome, page) => {
      settle(outcome, page);
      // A stored page lets the lock go once it is in the cache, so that the next holder finds it.
      if (outcome !== 'stored') void unlock();
    },
    stored: () => void unlock(),
  });
}

function once(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= run();
    return done;
  };
}

function isFresh(ctx: PageContext, record: PageRecord): boolean {
  return freshness(record, ctx.options.clock.now()) === 'fresh';
}

/** RFC 9211 fwd: what the render stands in for; a request the cache may not answer is a bypass, never a miss. */
function forwardReason(verdict: CacheableRequest, found: Lookup, usable: boolean): RenderPlan['fwd'] {
  if (verdict.noCache) return 'request';
  if (usable) return 'stale';
  if (verdict.authorization) return 'bypass';
  return found.varyNames ? 'vary-miss' : 'uri-miss';
}

function render(ctx: PageContext, plan: RenderPlan): PageDecision {
  return { action: 'render', capture: createCapture(ctx, { ...plan, requestedAt: ctx.options.clock.now() }) };
}

function serve(ctx: PageContext, request: PageRequest, found: Lookup, status: CacheStatusInfo): PageDecision {
  const record = found.record;
  if (!record) return PASS;
  const now = ctx.options.clock.now();
  const { cacheStatus } = ctx.options;
  // A plain hit, no validators to compare: the page's prebuilt response.
  if (status.hit === true && !status.collapsed && !status.fwd && !status.detail && !isConditional(request.headers)) {
    return { action: 'serve', response: readyHit(record, now, cacheStatus, request.method === 'HEAD') };
  }
  return { action: 'serve', response: replay(record, request, { now, cacheStatus, status }) };
}

/** RFC 9110 §13.1.3, §13.1.4: a request a stored page may answer with 304. */
function isConditional(headers: RawHeaders): boolean {
  return headerValue(headers, 'if-none-match') !== undefined || headerValue(headers, 'if-modified-since') !== undefined;
}
