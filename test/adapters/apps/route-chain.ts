import type { Duration, PageCacheOptions } from '@cachette/core';
import { type Directives, type Reply, type RouteSpec, type SeenRequest, sleep } from '../harness.js';

/** An adapter's route-level factories, whatever its middleware (or hook) type `M`. */
export interface RouteFactories<M> {
  varyOnHeaders(...names: string[]): M;
  varyOnCookies(...names: string[]): M;
  cachePage(ttl: Duration, options?: PageCacheOptions): M;
  neverCache(): M;
  cacheControl(directives: Directives): M;
}

/** The route's middleware in the suite's order: varyOnHeaders, varyOnCookies, cachePage, neverCache, cacheControl. */
export function routeChain<M>(route: RouteSpec, adapter: RouteFactories<M>): M[] {
  const chain: M[] = [];
  if (route.varyOnHeaders) chain.push(adapter.varyOnHeaders(...route.varyOnHeaders));
  if (route.varyOnCookies) chain.push(adapter.varyOnCookies(...route.varyOnCookies));
  if (route.cachePage) chain.push(adapter.cachePage(route.cachePage.ttl, route.cachePage.options));
  if (route.neverCache) chain.push(adapter.neverCache());
  if (route.cacheControl) chain.push(adapter.cacheControl(route.cacheControl));
  return chain;
}

/** What the route answers to `seen`, after its delay; throws when the reply says so. */
export async function replyTo(route: RouteSpec, seen: SeenRequest): Promise<Reply> {
  const reply = await route.reply(seen);
  if (reply.delay) await sleep(reply.delay);
  if (reply.throw) throw new Error('handler failed');
  return reply;
}
