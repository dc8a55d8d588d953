import { headerValue, type RawHeaders } from '../http/headers.js';
import { parseVary } from '../http/vary.js';
import { type PageContext, storePage } from './page-store.js';
import type { PageRecord } from './record.js';
import type { CacheableRequest } from './request-policy.js';
import { responseDirectives } from './targeted-directives.js';
import type { PageRequest } from './types.js';

/** What a render needs to know to store its page or give up on it. */
export interface CommitPlan {
  verdict: CacheableRequest;
  found: { key: string };
  settle?: ((outcome: 'stored' | 'uncacheable' | 'failed') => void) | undefined;
  background?: boolean;
  request: PageRequest;
}

/** A page ready to be stored: under which key, with which Vary list and tags. */
export interface ReadyPage {
  key: string;
  varyNames: readonly string[];
  record: PageRecord;
  tags: readonly string[];
}

/** Stores the page, then tells those waiting on the render (or forgets a hit-for-pass). */
export async function commitPage(ctx: PageContext, plan: CommitPlan, page: ReadyPage): Promise<void> {
  await storePage(ctx, page.key, plan.verdict, page.varyNames, page.record, page.tags);
  if (plan.settle) plan.settle('stored');
  else ctx.flights.forget(plan.found.key);
}

/**
 * The render was not storable. Hit-for-pass only for what the page is, not for what this
 * request asked (`byRequest`: Authorization, a 304); a background refresh of a page no longer
 * storable drops the stale one it was meant to refresh.
 */
export async function giveUpPage(ctx: PageContext, plan: CommitPlan, byRequest: boolean): Promise<void> {
  if (plan.settle) plan.settle(byRequest ? 'failed' : 'uncacheable');
  else if (!byRequest) ctx.flights.remember(plan.found.key);
  if (plan.background && !byRequest) await ctx.options.cache.delete(plan.found.key);
}

/**
 * True when the headers that actually went out forbid storing what was rendered: a `Set-Cookie`
 * (Django's UpdateCacheMiddleware, Varnish, nginx), `Cache-Control: private | no-store |
 * no-cache` (RFC 9111 §3) or `Vary: *` (RFC 9111 §4.1), added by a middleware as the headers
 * were written (Node's `on-headers`: express-session, cookie-session).
 */
export function vetoedOnSend(headers: RawHeaders): boolean {
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'set-cookie' && headers[name] !== undefined)) return true;
  const { cc } = responseDirectives(headers);
  return cc.private || cc.noStore || cc.noCache || cc.invalid || parseVary(headerValue(headers, 'vary')).any;
}

/**
 * Stores a page held until its headers were sent (see `PageCapture.sent`), unless those headers
 * veto it or were never sent (`undefined`). Never throws: failures go to `onError`.
 */
export async function commitOnSend(ctx: PageContext, plan: CommitPlan, page: ReadyPage, headers: RawHeaders | undefined): Promise<void> {
  try {
    if (headers === undefined) plan.settle?.('failed');
    else if (vetoedOnSend(headers)) await giveUpPage(ctx, plan, false);
    else await commitPage(ctx, plan, page);
  } catch (error) {
    ctx.report(error);
    plan.settle?.('failed');
  }
}
