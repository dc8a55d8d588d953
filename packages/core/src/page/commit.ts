import { headerValue, type RawHeaders } from '../http/headers.js';
import { parseVary } from '../http/vary.js';
import type { Settle } from './flights.js';
import { varyListKey } from './key.js';
import { isVaryList, learnVaryNames, MAX_VARY_NAMES } from './learn-vary.js';
import { type PageContext, storePage, variantKey } from './page-store.js';
import type { PageRecord } from './record.js';
import type { CacheableRequest } from './request-policy.js';
import { responseDirectives } from './targeted-directives.js';
import type { PageRequest } from './types.js';

/** What a render needs to know to store its page or give up on it. */
export interface CommitPlan {
  verdict: CacheableRequest;
  found: { key: string };
  settle?: Settle | undefined;
  /** Called once a page settled as `stored` is in the cache (or failed to get there): the cluster lock goes then. */
  stored?: (() => void) | undefined;
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

/**
 * Hands the page to those waiting on the render (or forgets a hit-for-pass), then stores it.
 * Waiters are released with the page in hand, not once a slow shared tier has it.
 */
export async function commitPage(ctx: PageContext, plan: CommitPlan, page: ReadyPage): Promise<void> {
  const ready = withLearnedNames(ctx, plan, page);
  if (ready === undefined) return giveUpPage(ctx, plan, false);
  if (plan.settle) plan.settle('stored', ready);
  else ctx.flights.forget(plan.found.key);
  try {
    await storePage(ctx, ready.key, plan.verdict, ready.varyNames, ready.record, ready.tags, plan.request);
  } finally {
    plan.stored?.();
  }
}

/**
 * The page keyed on every name the URL's list has learned by now, should another render have
 * added names since this one's lookup. Read from memory and written back in the same tick, so
 * within a process the list only grows (another process may still race; its pages then key on
 * fewer names, each still valid for its own response's Vary). `undefined`: too many names.
 */
function withLearnedNames(ctx: PageContext, plan: CommitPlan, page: ReadyPage): ReadyPage | undefined {
  const { cache, keyPrefix } = ctx.options;
  const { scheme, host, path } = plan.verdict.target;
  const current = typeof cache.peek === 'function' ? cache.peek(varyListKey(keyPrefix, scheme, host, path)) : undefined;
  if (!isVaryList(current) || current.every((name) => page.varyNames.includes(name))) return page;
  const varyNames = learnVaryNames([...page.varyNames, ...current], []);
  if (varyNames.length > MAX_VARY_NAMES) return undefined;
  const key = variantKey(ctx, plan.request.headers, plan.verdict, varyNames);
  return { ...page, key, varyNames, record: { ...page.record, varyNames } };
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
export function vetoedOnSend(headers: RawHeaders, record?: PageRecord): boolean {
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'set-cookie' && headers[name] !== undefined)) return true;
  const { cc } = responseDirectives(headers);
  // A page judged no-cache was stored to be revalidated before every use (RFC 9111 §5.2.2.4): its own no-cache goes out with it.
  const noCache = cc.noCache && (record === undefined || !responseDirectives(record.headers).cc.noCache);
  return cc.private || cc.noStore || noCache || cc.invalid || parseVary(headerValue(headers, 'vary')).any;
}

/**
 * Stores a page held until its headers were sent (see `PageCapture.sent`), unless those headers
 * veto it or were never sent (`undefined`). Never throws: failures go to `onError`.
 */
export async function commitOnSend(ctx: PageContext, plan: CommitPlan, page: ReadyPage, headers: RawHeaders | undefined): Promise<void> {
  try {
    if (headers === undefined) plan.settle?.('failed');
    else if (vetoedOnSend(headers, page.record)) await giveUpPage(ctx, plan, false);
    else await commitPage(ctx, plan, page);
  } catch (error) {
    ctx.report(error);
    plan.settle?.('failed');
  }
}
