import { ErrorCode, InvalidOptionError } from '@cachette/core';
import type { MethodInfo } from './method-decorator.js';
import { type ArgsFn, invalidOption } from './options.js';

/** The cache key of one call. */
export type KeyOf = (thisArg: unknown, args: unknown[]) => string;

/**
 * The key of each call: `key(...args)` (called with the method's `this`), or by default
 * `ClassName.method:` and the JSON of the arguments, as `UserService.load:[42]`.
 */
export function methodKey(key: ArgsFn<string> | undefined, method: MethodInfo, decorator: string): KeyOf {
  if (key === undefined) return (thisArg, args) => defaultKey(method.label(thisArg), args, decorator);
  return (thisArg, args) => {
    const value: unknown = key.apply(thisArg, args);
    if (typeof value !== 'string' || value === '') {
      throw new InvalidOptionError(
        ErrorCode.InvalidKey,
        `[cachette:decorators] ${decorator} on ${method.label(thisArg)}: key() must return a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`,
      );
    }
    return value;
  };
}

/**
 * `UserService.load:[42,"en"]`. JSON makes `undefined` `null` and drops functions; arguments
 * that JSON cannot tell apart (or cannot encode: BigInt, cycles) need a `key` function.
 */
export function defaultKey(label: string, args: readonly unknown[], decorator: string): string {
  let json: string;
  try {
    json = JSON.stringify(args);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw invalidOption(`${decorator} on ${label}: the arguments cannot make a default key (${why}); give a key function`, cause);
  }
  return `${label}:${json}`;
}
