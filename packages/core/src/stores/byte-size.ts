import { ErrorCode, InvalidOptionError, message } from '../errors.js';

/** A size: bytes as a number, or a string such as `'512kb'`, `'64mb'`, `'1gb'`. */
export type ByteSize = number | string;

const UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * Turns a {@link ByteSize} into bytes, or throws `E_INVALID_OPTION` naming the option.
 *
 * @example
 * ```ts
 * parseBytes('64mb') // 67_108_864
 * ```
 */
export function parseBytes(input: ByteSize, name = 'size'): number {
  if (typeof input === 'number' && Number.isInteger(input) && input > 0) return input;
  const match = typeof input === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)\s*$/i.exec(input) : null;
  if (match) {
    const bytes = Math.floor(Number(match[1]) * (UNIT[(match[2] as string).toLowerCase()] as number));
    if (bytes > 0) return bytes;
  }
  throw new InvalidOptionError(
    ErrorCode.InvalidOption,
    message(`${name}: ${JSON.stringify(input)} is not a size; use a positive integer of bytes or a string like '64mb'`),
  );
}
