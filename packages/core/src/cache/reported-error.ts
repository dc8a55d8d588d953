import { CachetteError, CoordinationError, ErrorCode, message, StoreError } from '../errors.js';

const BUS = new Set(['publish', 'subscribe']);
const LOCK = new Set(['lock', 'unlock']);

/**
 * What the `error` event carries: a {@link CachetteError} with a stable code whatever failed. A
 * bus's or lock's own error (often a plain `Error` from the Redis client) becomes its `cause`.
 */
export function reportedError(error: unknown, operation: string): CachetteError {
  if (error instanceof CachetteError) return error;
  const why = error instanceof Error ? error.message : String(error);
  if (BUS.has(operation))
    return new CoordinationError(ErrorCode.BusError, message(`the bus could not ${operation}: ${why}`), { cause: error });
  if (LOCK.has(operation))
    return new CoordinationError(ErrorCode.LockError, message(`the lock could not ${operation}: ${why}`), { cause: error });
  return new StoreError(ErrorCode.StoreError, message(`${operation} failed: ${why}`), { cause: error });
}
