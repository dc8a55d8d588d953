import { ErrorReply } from '@redis/client';
import { CliError } from './errors.js';

/**
 * Resolves to `work`'s value, or fails with `E_UNREACHABLE` once `ms` have passed: no call the
 * command makes can hang it. Redis's own error replies become `E_FAILED`, anything else (a
 * refused or closed socket) `E_UNREACHABLE`.
 */
export function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError('E_UNREACHABLE', `${what}: no answer within ${ms}ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (cause: unknown) => {
        clearTimeout(timer);
        reject(asCliError(cause, what));
      },
    );
  });
}

/** A Redis failure as a coded error, keeping the original as `cause`. */
export function asCliError(cause: unknown, what: string): CliError {
  if (cause instanceof CliError) return cause;
  const why = cause instanceof Error ? cause.message || cause.name : String(cause);
  if (cause instanceof ErrorReply) return new CliError('E_FAILED', `${what}: Redis answered ${why}`, { cause });
  return new CliError('E_UNREACHABLE', `${what}: ${why}`, { cause });
}
