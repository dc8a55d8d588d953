import type { ResolvedPageOptions } from './options.js';
import type { Storable } from './response-policy.js';
import type { RecordWindows } from './stored-headers.js';

/**
 * The stale windows of a page, in ms (RFC 5861): the response's own `stale-while-revalidate` /
 * `stale-if-error` where it states them, else the configured ones. Under a route TTL
 * (`cachePage`) the route's window bounds what the handler asks for: a handler may shorten it,
 * never widen it. Site-wide, the response's own window stands, as its `max-age` does, up to the
 * configured TTL of its status (or the configured window, if that is longer).
 *
 * @example
 * staleWindows({ ...storable, staleWhileRevalidate: 30 }, options, 200) // { swr: 30_000, sie: options.staleIfError }
 */
export function staleWindows(
  storable: Storable,
  options: Pick<ResolvedPageOptions, 'staleWhileRevalidate' | 'staleIfError' | 'ttlFrom' | 'statuses'>,
  status: number,
): Pick<RecordWindows, 'swr' | 'sie'> {
  const statusTtl = options.statuses.get(status) ?? 0;
  const window = (asked: number | undefined, configured: number): number => {
    if (asked === undefined) return configured;
    const bound = options.ttlFrom === 'route' ? configured : Math.max(configured, statusTtl);
    return Math.min(asked * 1000, bound);
  };
  return {
    swr: window(storable.staleWhileRevalidate, options.staleWhileRevalidate),
    sie: window(storable.staleIfError, options.staleIfError),
  };
}
