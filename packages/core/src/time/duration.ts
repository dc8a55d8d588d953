import { ErrorCode, InvalidOptionError, message } from '../errors.js';

/** A duration: milliseconds as a number, or a string such as `'500ms'`, `'15m'`, `'1h30m'`, `'2d'`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/gy;

/**
 * Turns a {@link Duration} into milliseconds, or throws `E_INVALID_DURATION` naming the option.
 *
 * @example
 * ```ts
 * parseDuration('1h30m') // 5_400_000
 * parseDuration(250)     // 250
 * ```
 */
export function parseDuration(input: Duration, name = 'duration'): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return Math.floor(input);
    throw invalid(name, input);
  }
  if (typeof input !== 'string') throw invalid(name, input);
  const text = input.trim().toLowerCase();
  if (text === '') throw invalid(name, input);
  let total = 0;
  PART.lastIndex = 0;
  for (;;) {
    const start: number = PART.lastIndex;
    if (start === text.length) break;
    while (text[PART.lastIndex] === ' ') PART.lastIndex++;
    const match = PART.exec(text);
    if (!match) throw invalid(name, input);
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  if (!Number.isFinite(total)) throw invalid(name, input);
  return Math.floor(total);
}

/** Like {@link parseDuration}, but `undefined` stays `undefined`. */
export function parseOptionalDuration(input: Duration | undefined, name: string): number | undefined {
  return input === undefined ? undefined : parseDuration(input, name);
}

function invalid(name: string, input: unknown): InvalidOptionError {
  return new InvalidOptionError(
    ErrorCode.InvalidDuration,
    message(
      `${name}: ${JSON.stringify(input) ?? String(input)} is not a duration; use milliseconds (a finite number >= 0) or a string like '500ms', '30s', '15m', '1h', '2d'`,
    ),
  );
}
