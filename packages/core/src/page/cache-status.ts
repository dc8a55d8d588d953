/** What the cache did for one response, as RFC 9211 reports it. */
export interface CacheStatusInfo {
  /** Served from the cache without running the handler. */
  hit?: boolean;
  /**
   * Why the handler ran (RFC 9211 §2.2): `uri-miss` (nothing for the URL), `vary-miss` (not this
   * variant), `miss`, `stale`, `request` (the client asked), `bypass` (the cache does not handle
   * this request: Authorization, undeclared cookies…), `method` (an unsafe method).
   */
  fwd?: 'uri-miss' | 'vary-miss' | 'miss' | 'stale' | 'request' | 'bypass' | 'method';
  /** The status the handler answered with, when it differs from the one sent. */
  fwdStatus?: number;
  /** Freshness left, in seconds; negative when stale. */
  ttl?: number;
  /** The response was stored. */
  stored?: boolean;
  /** Served after waiting for another request's render of the same page. */
  collapsed?: boolean;
  /** Free-form note, a token, e.g. `stale-if-error`. */
  detail?: string;
}

/**
 * One `Cache-Status` member (RFC 9211 §2), e.g. `cachette; hit; ttl=42`.
 *
 * @example
 * formatCacheStatus('cachette', { fwd: 'uri-miss', stored: true }) // 'cachette; fwd=uri-miss; stored'
 */
export function formatCacheStatus(name: string, info: CacheStatusInfo): string {
  const params = [name];
  if (info.hit) params.push('hit');
  if (info.fwd) params.push(`fwd=${info.fwd}`);
  if (info.fwdStatus !== undefined) params.push(`fwd-status=${info.fwdStatus}`);
  if (info.ttl !== undefined) params.push(`ttl=${Math.floor(info.ttl)}`);
  if (info.stored) params.push('stored');
  if (info.collapsed) params.push('collapsed');
  if (info.detail) params.push(`detail=${info.detail}`);
  return params.join('; ');
}

/**
 * Headers with this cache's member appended to `Cache-Status` (the cache nearest the client
 * comes last, RFC 9211 §2); unchanged without a cache name.
 */
export function withCacheStatus(
  headers: Record<string, string | string[]>,
  name: string | undefined,
  info: CacheStatusInfo,
): Record<string, string | string[]> {
  if (name === undefined) return headers;
  const out = { ...headers };
  const member = formatCacheStatus(name, info);
  const previous = out['cache-status'];
  out['cache-status'] = previous === undefined ? member : [previous, member].flat().join(', ');
  return out;
}
