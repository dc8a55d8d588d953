import { ErrorCode, InvalidOptionError, message } from '../errors.js';
import { isToken } from '../http/tokenizer.js';
import { watchHeaderReads } from './header-reads.js';
import type { KeyPair } from './key.js';
import type { CacheableRequest } from './request-policy.js';
import type { PageRequest } from './types.js';

/** `variants` of a route: each name resolves a request to the value pages are keyed on (a language, a device class). */
export type PageVariants = Readonly<Record<string, (request: PageRequest) => string>>;

/** The variants, checked, sorted by name. */
export type ResolvedVariants = readonly (readonly [name: string, resolve: (request: PageRequest) => string])[];

/**
 * Checks `variants` where the route is made: an object of functions under token names.
 * Throws `InvalidOptionError` (`E_INVALID_OPTION`).
 *
 * @example
 * ```ts
 * resolveVariants({ lang: (req) => negotiate(req.headers['accept-language']) })
 * ```
 */
export function resolveVariants(variants: unknown): ResolvedVariants {
  if (variants === undefined) return Object.freeze([]);
  if (typeof variants !== 'object' || variants === null || Array.isArray(variants))
    throw invalid('variants must be an object of functions, such as { lang: (req) => negotiateLanguage(req) }');
  const entries = Object.entries(variants as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, resolve] of entries) {
    if (!isToken(name) || typeof resolve !== 'function')
      throw invalid(`variants.${name} must be a function of the request under a token name`);
  }
  return Object.freeze(entries.map(([name, resolve]) => Object.freeze([name, resolve as (request: PageRequest) => string] as const)));
}

/**
 * The request's resolved variants join its key in place of the raw headers they read, and
 * those headers join the response's `Vary` for caches downstream. Throws `InvalidOptionError`
 * when a variant does not answer a string (the page cache reports it and passes the request).
 */
export function withVariants(verdict: CacheableRequest, variants: ResolvedVariants, request: PageRequest): CacheableRequest {
  const pairs: KeyPair[] = [];
  const read = new Set<string>();
  for (const [name, resolve] of variants) {
    const reads = watchHeaderReads(request.headers);
    const value = resolve({ ...request, headers: reads.view });
    if (typeof value !== 'string') throw invalid(`variants.${name}(request) must return a string; the request was not cached`);
    pairs.push([name, value]);
    for (const header of reads.names) read.add(header);
  }
  const variantReads = [...read].sort();
  const varyHeaders = [...new Set([...verdict.varyHeaders, ...variantReads])].sort();
  return { ...verdict, variants: pairs, variantReads, varyHeaders };
}

function invalid(text: string): InvalidOptionError {
  return new InvalidOptionError(ErrorCode.InvalidOption, message(text));
}
