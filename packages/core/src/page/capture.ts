import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import { type CacheStatusInfo, withCacheStatus } from './cache-status.js';
import { commitOnSend, commitPage, giveUpPage, type ReadyPage } from './commit.js';
import { replay } from './conditional-serve.js';
import type { Settle } from './flights.js';
import { type HeaderReads, watchHeaderReads } from './header-reads.js';
import { learnVaryNames, MAX_VARY_NAMES } from './learn-vary.js';
import { type Lookup, type PageContext, variantKey } from './page-store.js';
import { canStandInForError, type PageRecord } from './record.js';
import type { CacheableRequest } from './request-policy.js';
import { judgeResponse, type ResponseVeto } from './response-policy.js';
import { conditionalsFor, revalidationHeaders } from './revalidate-request.js';
import { freshenedResponse, selectsStored } from './revalidate-response.js';
import { staleWindows } from './stale-windows.js';
import { recordFor } from './stored-headers.js';
import { ROUTING_HEADERS } from './target.js';
import type { PageCapture, PageFinishOptions, PageRequest, PageResponse } from './types.js';

/** One render the page cache hands to an adapter. */
export interface RenderPlan {
  request: PageRequest;
  verdict: CacheableRequest;
  found: Lookup;
  /** What the render is instead of: `Cache-Status` fwd. */
  fwd: NonNullable<CacheStatusInfo['fwd']>;
  /** Set when this render leads the others waiting on `found.key`. */
  settle?: Settle | undefined;
  /** With `settle` as `stored`: called once the page is in the cache (see `CommitPlan`). */
  stored?: (() => void) | undefined;
  /** A background revalidation: a veto drops the stale variant it was meant to refresh. */
  background?: boolean;
  /** Sent, never stored: a render made after giving up waiting for the lead (lockTimeout). */
  noStore?: boolean;
  /** When the render began: the request time of RFC 9111 §4.2.3. */
  requestedAt?: number;
}

// Statuses that answer this request's own headers, not the page: they say nothing about whether the page can be stored.
const REQUEST_SHAPED = new Set([304, 412, 416]);

/** The capture of a render: stores what may be stored, answers with a stale page on failure. */
export function createCapture(ctx: PageContext, plan: RenderPlan): PageCapture {
  let done = false;
  let gaveUp = false;
  // Set by finish({ untilSent }): stored once sent() says what went out.
  let held: ReadyPage | undefined;
  const settle = (outcome: Parameters<Settle>[0]) => plan.settle?.(outcome);
  // Not captured: not stored, the waiters go render their own, and the next ones do not queue.
  const giveUp = (): void => {
    if (done || gaveUp) return;
    gaveUp = true;
    if (plan.settle) settle('uncacheable');
    else ctx.flights.remember(plan.found.key);
  };
  // RFC 9111 §4.3.1: a stored page is revalidated with its validators, in place of the client's own.
  const conditionals = plan.found.record === undefined ? undefined : conditionalsFor(plan.found.record);
  const headers = conditionals === undefined ? undefined : revalidationHeaders(plan.request.headers, conditionals);
  const reads = ctx.options.strict ? watchHeaderReads(headers ?? plan.request.headers) : undefined;
  const revalidating = conditionals !== undefined;
  return Object.freeze({
    maxBodyBytes: ctx.options.maxBodyBytes,
    headerView: reads?.view ?? headers,
    async finish(response: PageResponse, options?: PageFinishOptions): Promise<PageResponse> {
      if (done || gaveUp) return response;
      done = true;
      const keep = (page: ReadyPage): void => {
        held = page;
      };
      const hold = options?.untilSent === true ? keep : undefined;
      try {
        if (revalidating && response.status === 304) return await finishRevalidation(ctx, plan, response, hold, reads);
        return await finishRender(ctx, plan, response, hold, reads);
      } catch (error) {
        ctx.report(error);
        settle('failed');
        return response;
      }
    },
    sent(headers: PageResponse['headers'] | undefined): void {
      const page = held;
      held = undefined;
      if (page !== undefined) void commitOnSend(ctx, plan, page, headers);
    },
    overflow: giveUp,
    // A response streamed on purpose is route-shaped (neverCache, SSE): the next one will be too, so hit-for-pass.
    abandon: giveUp,
    async fail(): Promise<PageResponse | undefined> {
      // After an overflow or abandon the response is already streaming: too late to send another.
      if (done || gaveUp) return undefined;
      done = true;
      settle('failed');
      try {
        return staleIfError(ctx, plan, undefined);
      } catch (error) {
        ctx.report(error);
        return undefined;
      }
    },
  });
}

async function finishRender(
  ctx: PageContext,
  plan: RenderPlan,
  response: PageResponse,
  hold: ((page: ReadyPage) => void) | undefined,
  reads: HeaderReads | undefined,
  fwdStatus?: number,
): Promise<PageResponse> {
  const { options } = ctx;
  const now = options.clock.now();
  // RFC 5861 §4: a server error is answered with the stale page while the window allows.
  if (response.status >= 500) {
    plan.settle?.('failed');
    return staleIfError(ctx, plan, response.status) ?? passThrough(ctx, plan, response);
  }
  if (plan.noStore) return passThrough(ctx, plan, response);
  const verdict = judgeResponse(response, {
    authorization: plan.verdict.authorization,
    statuses: options.statuses,
    maxBodyBytes: options.maxBodyBytes,
    now,
    requestedAt: plan.requestedAt,
    ttlFrom: options.ttlFrom,
  });
  if (!verdict.store) return notStored(ctx, plan, response, verdict.veto);
  // The URL's list only grows: a response that stops naming a header never unkeys the pages that named it.
  const varyNames = learnVaryNames([...verdict.vary, ...(plan.found.varyNames ?? [])], plan.verdict.varyHeaders);
  // Too many names for a Vary list (it would read back as corrupt): not stored, as for the response's own Vary.
  if (varyNames.length > MAX_VARY_NAMES) return notStored(ctx, plan, response, 'vary');
  if (reads !== undefined && readOutsideKey(reads, varyNames, plan.verdict)) return notStored(ctx, plan, response, 'strict');
  const tags = routeTags(ctx, plan.request);
  const routeTtl = options.ttlFrom === 'route' ? options.statuses.get(response.status) : undefined;
  const record = recordFor(response, verdict, plan.verdict, now, { ...staleWindows(verdict, options, response.status), routeTtl });
  record.varyNames = varyNames;
  const page: ReadyPage = { key: variantKey(ctx, plan.request.headers, plan.verdict, varyNames), varyNames, record, tags };
  if (hold) hold(page);
  else await commitPage(ctx, plan, page);
  const status: CacheStatusInfo = { fwd: plan.fwd, stored: true };
  if (fwdStatus !== undefined) status.fwdStatus = fwdStatus;
  return replay(record, plan.request, { now, cacheStatus: options.cacheStatus, status, rendered: true });
}

/**
 * The handler answered the cache's conditional request with 304 (RFC 9111 §4.3.3): the stored
 * page it selects is freshened with the 304's fields and goes through the render's own path
 * (judged, stored, replayed, `304` to a client whose own conditional matches). A 304 that
 * selects no stored page updates nothing: the stored page is sent as it is, and stays stale.
 */
function finishRevalidation(
  ctx: PageContext,
  plan: RenderPlan,
  notModified: PageResponse,
  hold: ((page: ReadyPage) => void) | undefined,
  reads: HeaderReads | undefined,
): Promise<PageResponse> {
  const stored = plan.found.record as PageRecord;
  if (selectsStored(stored, notModified.headers))
    return finishRender(ctx, plan, freshenedResponse(stored, notModified.headers), hold, reads, 304);
  plan.settle?.('failed');
  const now = ctx.options.clock.now();
  return Promise.resolve(
    replay(stored, plan.request, { now, cacheStatus: ctx.options.cacheStatus, status: { fwd: plan.fwd, fwdStatus: 304 } }),
  );
}

async function notStored(ctx: PageContext, plan: RenderPlan, response: PageResponse, veto: ResponseVeto): Promise<PageResponse> {
  // Hit-for-pass only for what the page is, not for what this request asked (Authorization, a 304).
  const byRequest = veto === 'authorization' || (veto === 'status' && REQUEST_SHAPED.has(response.status));
  await giveUpPage(ctx, plan, byRequest);
  return passThrough(ctx, plan, response);
}

/** The stale page standing in for a failed render, if the window allows (RFC 5861 §4). */
function staleIfError(ctx: PageContext, plan: RenderPlan, status: number | undefined): PageResponse | undefined {
  const record: PageRecord | undefined = plan.found.record;
  const now = ctx.options.clock.now();
  if (record === undefined || !canStandInForError(record, now)) return undefined;
  if (plan.verdict.authorization && !record.shared) return undefined;
  const info: CacheStatusInfo = { fwd: plan.fwd, detail: 'stale-if-error' };
  if (status !== undefined) info.fwdStatus = status;
  return replay(record, plan.request, { now, cacheStatus: ctx.options.cacheStatus, status: info });
}

/** The handler's response as it is, with this cache's `Cache-Status` member. */
function passThrough(ctx: PageContext, plan: RenderPlan, response: PageResponse): PageResponse {
  const headers = withCacheStatus(response.headers, ctx.options.cacheStatus, { fwd: plan.fwd });
  return headers === response.headers ? response : { ...response, headers };
}

/** Request headers a handler may read without its page depending on them beyond the key: routing, framing, conditionals. */
const READ_ANYWAY = new Set([
  'host',
  ':authority',
  'connection',
  'keep-alive',
  'content-length',
  'content-type',
  'transfer-encoding',
  'expect',
  'te',
  'upgrade',
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
  'range',
  'cache-control',
  'pragma',
  // only the declared cookies reach a cached render, and they are in the key
  'cookie',
  ...ROUTING_HEADERS,
]);

/** `strict`: the handler listed the headers, or read one that is neither in the key nor read anyway. */
function readOutsideKey(reads: HeaderReads, varyNames: readonly string[], verdict: CacheableRequest): boolean {
  if (reads.everything) return true;
  for (const name of reads.names) {
    if (!READ_ANYWAY.has(name) && !varyNames.includes(name) && !verdict.variantReads?.includes(name)) return true;
  }
  return false;
}

function routeTags(ctx: PageContext, request: PageRequest): readonly string[] {
  const tags = ctx.options.tags(request);
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.length > 0)) {
    throw new InvalidOptionError(
      ErrorCode.InvalidOption,
      message('tags(request) must return an array of non-empty strings; the page was not stored'),
    );
  }
  return tags;
}
