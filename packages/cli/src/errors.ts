/**
 * The exit codes of the `cachette` command. Scripts can rely on them across releases.
 *
 * @example
 * ```ts
 * const code = await main(['get', 'user:1', '--redis', url])
 * if (code === ExitCode.NotFound) console.log('not cached')
 * ```
 */
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** A mistake on the command line: unknown command or flag, bad URL, bad duration, missing argument. */
  Usage: 1,
  /** The key, or every key of the namespace, is not in Redis. */
  NotFound: 2,
  /** Redis could not be reached, or did not answer within `--timeout`. */
  Unreachable: 3,
  /** The connection form (cluster, sentinel) is not supported by the installed `@cachette/redis`. */
  Unsupported: 4,
  /** Redis answered with an error, or part of the work (a store write, the bus message) failed. */
  Failed: 5,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Stable codes of the command's errors, printed in text and in `--json` output.
 *
 * @example
 * ```ts
 * // cachette get nope --json  →  {"ok":false,"error":{"code":"E_NOT_FOUND",…}}
 * CliErrorCode.NotFound === 'E_NOT_FOUND'
 * ```
 */
export const CliErrorCode = {
  Usage: 'E_USAGE',
  InvalidUrl: 'E_INVALID_URL',
  NotFound: 'E_NOT_FOUND',
  Unreachable: 'E_UNREACHABLE',
  Unsupported: 'E_UNSUPPORTED',
  Failed: 'E_FAILED',
} as const;

/** One of the {@link CliErrorCode} values. */
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

const EXIT_BY_CODE: Record<CliErrorCode, ExitCode> = {
  E_USAGE: ExitCode.Usage,
  E_INVALID_URL: ExitCode.Usage,
  E_NOT_FOUND: ExitCode.NotFound,
  E_UNREACHABLE: ExitCode.Unreachable,
  E_UNSUPPORTED: ExitCode.Unsupported,
  E_FAILED: ExitCode.Failed,
};

/**
 * An error the command reports and exits with: a stable `code`, the `exitCode` it maps to, and
 * the original error as `cause`. Messages start with `[cachette:cli]`.
 *
 * @example
 * ```ts
 * throw new CliError('E_NOT_FOUND', 'no entry under "user:1"') // exits with 2
 * ```
 */
export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, text: string, options?: { cause?: unknown }) {
    super(`[cachette:cli] ${text}`, options);
    this.name = 'CliError';
    this.code = code;
  }

  /** The process exit code for this error. */
  get exitCode(): ExitCode {
    return EXIT_BY_CODE[this.code];
  }
}
