export { type CacheControl, MAX_DELTA_SECONDS, formatCacheControl, parseCacheControl, patchCacheControl } from './cache-control.js';
export { type ConditionalRequest, type Validators, isNotModified, notModifiedHeaders } from './conditional.js';
export { cookieNames, parseCookies } from './cookies.js';
export { formatHttpDate, parseHttpDate } from './date.js';
export { type EntityTag, parseEntityTag, parseIfNoneMatch, strongETag, strongMatch, weakMatch } from './etag.js';
export { HOP_BY_HOP, type HeaderValue, type RawHeaders, headerValue, stripHopByHop } from './headers.js';
export { type HostPort, isValidHost, matchesAllowedHost, splitHostPort } from './host.js';
export { type Directive, formatDirectives, isToken, parseDirectives, splitList } from './tokenizer.js';
export { type VaryHeaders, mergeVary, parseVary } from './vary.js';
