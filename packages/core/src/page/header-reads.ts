import type { RawHeaders } from '../http/headers.js';

/** Which request headers code read through a {@link watchHeaderReads} view. */
export interface HeaderReads {
  /** Stands in for the request's headers; reads go through to them. */
  readonly view: RawHeaders;
  /** Lower-cased names read (or tested with `in`), present or not. */
  readonly names: Set<string>;
  /** True once the code listed the headers (`Object.keys`, spread, JSON): it may depend on any of them. */
  everything: boolean;
}

/**
 * A view of request headers that records what is read through it, for `strict` and `variants`.
 * Built only when one of them is on: a route without them pays nothing.
 *
 * @example
 * ```ts
 * const reads = watchHeaderReads(req.headers)
 * reads.view['x-tenant']; reads.names // Set { 'x-tenant' }
 * ```
 */
export function watchHeaderReads(headers: RawHeaders): HeaderReads {
  const names = new Set<string>();
  const note = (prop: string | symbol) => {
    if (typeof prop === 'string') names.add(prop.toLowerCase());
  };
  const reads: HeaderReads = {
    names,
    everything: false,
    view: new Proxy(headers, {
      get(target, prop, receiver) {
        // A view without prototype still answers `headers.hasOwnProperty(…)` as a plain object would (not a header read).
        if (!(prop in target) && prop in Object.prototype) return Reflect.get(Object.prototype, prop, receiver);
        note(prop);
        return Reflect.get(target, prop, receiver);
      },
      has(target, prop) {
        note(prop);
        return Reflect.has(target, prop);
      },
      getOwnPropertyDescriptor(target, prop) {
        note(prop);
        return Reflect.getOwnPropertyDescriptor(target, prop);
      },
      ownKeys(target) {
        reads.everything = true;
        return Reflect.ownKeys(target);
      },
    }),
  };
  return reads;
}
