import { ErrorCode, InvalidOptionError } from '@cachette/core';
import { claimClassName } from './class-names.js';
import { classOf, type MethodInfo } from './method-info.js';
import { type ArgsFn, invalidOption } from './options.js';

/** The cache key of one call. */
export type KeyOf = (thisArg: unknown, args: unknown[]) => string;

/**
 * The key of each call: `key(...args)` (called with the method's `this`), or by default the
 * method's label (`UserService.load`, `Admin>UserService.load` for a subclass) and the canonical
 * JSON of the arguments, as `UserService.load:[42]`. Default keys claim their class names in
 * `namespace` (see `claimClassName`).
 */
export function methodKey(key: ArgsFn<string> | undefined, method: MethodInfo, decorator: string, namespace?: string): KeyOf {
  if (key === undefined) {
    method.onDeclared((declaring) => claimClassName(declaring, namespace, decorator));
    const claimed = new WeakSet<object>();
    return (thisArg, args) => {
      const label = method.label(thisArg);
      const own = classOf(thisArg);
      if (own !== undefined && !claimed.has(own)) {
        claimClassName(own, namespace, decorator);
        claimed.add(own);
      }
      return defaultKey(label, args, decorator);
    };
  }
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
 * `UserService.load:[42,"en"]`. The arguments as JSON, with the properties of every plain
 * object in sorted order (so `{a,b}` and `{b,a}` make one key, nested too; arrays keep their
 * order). JSON makes `undefined` `null` and drops functions; arguments that JSON cannot tell
 * apart (or cannot encode: BigInt, cycles) need a `key` function.
 */
export function defaultKey(label: string, args: readonly unknown[], decorator: string): string {
  let json: string;
  try {
    json = args.some(isObject) ? JSON.stringify(args, sortedProperties) : JSON.stringify(args);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw invalidOption(`${decorator} on ${label}: the arguments cannot make a default key (${why}); give a key function`, cause);
  }
  return `${label}:${json}`;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** A JSON replacer: a plain object is written with its properties sorted (it sees values after `toJSON`). */
function sortedProperties(this: unknown, _key: string, value: unknown): unknown {
  if (!isObject(value) || Array.isArray(value)) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const keys = Object.keys(value as object);
  if (keys.length < 2) return value;
  keys.sort();
  const sorted: Record<string, unknown> = {};
  for (const k of keys) sorted[k] = (value as Record<string, unknown>)[k];
  return sorted;
}
