import { InvalidOptionError } from '@cachette/core';
import { describe, expect, it } from 'vitest';
import { resolveDirectives } from '../src/cache-control.js';
import { cacheControl, cachePage, cachette, varyOnCookies, varyOnHeaders } from '../src/index.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return (error as InvalidOptionError).code;
  }
  throw new Error('did not throw');
};

describe('configuration mistakes throw when the middleware is made', () => {
  it('cachePage and cachette check their options through the core', () => {
    expect(code(() => cachePage('soon'))).toBe('E_INVALID_DURATION');
    expect(code(() => cachePage('1m', { statuses: { 500: '1m' } }))).toBe('E_INVALID_OPTION');
    expect(code(() => cachette({ cache: undefined as never, ttl: -1 }))).toBe('E_INVALID_DURATION');
  });

  it('varyOnHeaders and varyOnCookies need valid names', () => {
    expect(code(() => varyOnHeaders())).toBe('E_INVALID_OPTION');
    expect(code(() => varyOnHeaders('Accept Language'))).toBe('E_INVALID_OPTION');
    expect(code(() => varyOnHeaders('*'))).toBe('E_INVALID_OPTION');
    expect(code(() => varyOnCookies('a;b'))).toBe('E_INVALID_OPTION');
    expect(() => varyOnHeaders('Accept-Language', 'X-Device')).not.toThrow();
  });

  it('cacheControl checks directives and turns durations into seconds', () => {
    expect(code(() => cacheControl({ maxAge: 'soon' }))).toBe('E_INVALID_DURATION');
    expect(code(() => cacheControl({ bogus: true } as never))).toBe('E_INVALID_OPTION');
    expect(code(() => cacheControl({ public: 'yes' } as never))).toBe('E_INVALID_OPTION');
    expect(resolveDirectives({ public: true, maxAge: '5m', sMaxAge: 1500, noStore: false })).toEqual({
      public: true,
      maxAge: 300,
      sMaxAge: 1,
      noStore: false,
    });
  });

  it('never keeps or changes the caller’s options object', () => {
    const options = Object.freeze({ statuses: Object.freeze({ 200: '1m' }) });
    expect(() => cachePage('1m', options)).not.toThrow();
  });
});
