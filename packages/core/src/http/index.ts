export { type CacheControl, formatCacheControl, MAX_DELTA_SECONDS, parseCacheControl, patchCacheControl } from './cache-control.js';
export { type ConditionalRequest, isNotModified, notModifiedHeaders, type Validators } from './conditional.js';
export { cookieNames, parseCookies } from './cookies.js';
export { formatHttpDate, parseHttpDate } from './date.js';
export { type EntityTag, parseEntityTag, parseIfNoneMatch, strongETag, strongMatch, weakMatch } from './etag.js';
export { type HeaderValue, HOP_BY_HOP, headerValue, type RawHeaders, stripHopByHop } from './headers.js';
export { type HostPort, isValidHost, matchesAllowedHost, splitHostPort } from './host.js';
export { type Directive, formatDirectives, isToken, parseDirectives, splitList } from './tokenizer.js';
export { mergeVary, parseVary, type VaryHeaders } from './vary.js';
