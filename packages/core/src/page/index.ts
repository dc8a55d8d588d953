export { type CacheStatusInfo, formatCacheStatus } from './cache-status.js';
export { defaultPageCache } from './default-cache.js';
export { type CacheControlDirectives, NEVER_CACHE, resolveDirectives } from './directives.js';
export { NO_ALLOWED_HOSTS_WARNING } from './host-warning.js';
export { encodeKeyParts, type KeyPair, type PageKeyParts, pageKey, urlTag, varyListKey } from './key.js';
export { declaredCookies, type RequestCookies } from './learn-vary.js';
export { createPageCache } from './page-cache.js';
export { purgeUrl } from './purge.js';
export { type CacheableRequest, judgeRequest, type RequestPolicyOptions, type RequestVerdict, type RequestVeto } from './request-policy.js';
export { judgeResponse, type ResponseContext, type ResponseVerdict, type ResponseVeto, type Storable } from './response-policy.js';
export { REVALIDATE_HEADER } from './revalidate.js';
export { markRequest, marksOf, type RouteMarks } from './route-marks.js';
export { createSitePageCache, type SitePageCacheOptions } from './site-wide.js';
export { type PageTarget, ROUTING_HEADERS, resolveTarget, sortQuery, type TargetOptions } from './target.js';
export type {
  PageCache,
  PageCacheOptions,
  PageCapture,
  PageDecision,
  PageFinishOptions,
  PageRequest,
  PageResponse,
  PageTags,
} from './types.js';
export type { PageVariants } from './variants.js';
export { varyOnNames } from './vary-names.js';
