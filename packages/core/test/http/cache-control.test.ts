import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CacheControl, formatCacheControl, MAX_DELTA_SECONDS, parseCacheControl, patchCacheControl } from '../../src/http/index.js';

const EMPTY: CacheControl = {
  public: false,
  private: false,
  noStore: false,
  noCache: false,
  mustRevalidate: false,
  proxyRevalidate: false,
  immutable: false,
  noTransform: false,
  mustUnderstand: false,
  maxAge: undefined,
  sMaxAge: undefined,
  staleWhileRevalidate: undefined,
  staleIfError: undefined,
  maxStale: undefined,
  minFresh: undefined,
  invalid: false,
};

describe('parseCacheControl', () => {
  it('returns all-off for absent or empty fields', () => {
    expect(parseCacheControl(undefined)).toEqual(EMPTY);
    expect(parseCacheControl('')).toEqual(EMPTY);
    expect(parseCacheControl(' , ,')).toEqual(EMPTY);
  });

  it('reads every known directive, case-insensitively', () => {
    const value =
      'PUBLIC, Private, no-store, No-Cache, must-revalidate, proxy-revalidate, immutable, no-transform, ' +
      'must-understand, max-age=60, S-MaxAge=120, stale-while-revalidate=30, stale-if-error=86400, max-stale=5, min-fresh=7';
    expect(parseCacheControl(value)).toEqual({
      public: true,
      private: true,
      noStore: true,
      noCache: true,
      mustRevalidate: true,
      proxyRevalidate: true,
      immutable: true,
      noTransform: true,
      mustUnderstand: true,
      maxAge: 60,
      sMaxAge: 120,
      staleWhileRevalidate: 30,
      staleIfError: 86400,
      maxStale: 5,
      minFresh: 7,
      invalid: false,
    });
  });

  it('reads the RFC 5861 example', () => {
    expect(parseCacheControl('max-age=600, stale-while-revalidate=30')).toEqual({
      ...EMPTY,
      maxAge: 600,
      staleWhileRevalidate: 30,
    });
  });

  it('counts the qualified private / no-cache forms as true (RFC 9111 §5.2.2.4, §5.2.2.7)', () => {
    expect(parseCacheControl('private="set-cookie", max-age=60')).toEqual({ ...EMPTY, private: true, maxAge: 60 });
    expect(parseCacheControl('no-cache="x-a, x-b", max-age=1')).toEqual({ ...EMPTY, noCache: true, maxAge: 1 });
    expect(parseCacheControl('no-store=whatever').noStore).toBe(true);
  });

  it('ignores permissive flags that carry an argument', () => {
    expect(parseCacheControl('public="x", immutable=1')).toEqual(EMPTY);
  });

  it('ignores unknown extensions (RFC 9111 §5.2.3)', () => {
    expect(parseCacheControl('community="UCI", x-foo=1, max-age=3')).toEqual({ ...EMPTY, maxAge: 3 });
  });

  it('treats malformed delta-seconds as stale and flags them', () => {
    for (const bad of [
      'max-age=-1',
      'max-age=1.5',
      'max-age=',
      'max-age',
      'max-age=abc',
      'max-age="5"x',
      'max-age= 1 2',
      'max-age=0x10',
      'max-age=+5',
      'max-age=１',
    ]) {
      expect(parseCacheControl(bad), bad).toEqual({ ...EMPTY, maxAge: 0, invalid: true });
    }
    expect(parseCacheControl('s-maxage=-5, public')).toEqual({ ...EMPTY, public: true, sMaxAge: 0, invalid: true });
    expect(parseCacheControl('stale-while-revalidate=x').staleWhileRevalidate).toBe(0);
    expect(parseCacheControl('stale-if-error').staleIfError).toBe(0);
    expect(parseCacheControl('max-stale=x').maxStale).toBe(0);
    expect(parseCacheControl('min-fresh=x')).toEqual({ ...EMPTY, minFresh: MAX_DELTA_SECONDS, invalid: true });
  });

  it('accepts the quoted form of a number', () => {
    expect(parseCacheControl('max-age="60"')).toEqual({ ...EMPTY, maxAge: 60 });
  });

  it('lets the most restrictive duplicate win', () => {
    expect(parseCacheControl('max-age=60, MAX-AGE=30, max-age=90').maxAge).toBe(30);
    expect(parseCacheControl('max-age=60, max-age=oops')).toEqual({ ...EMPTY, maxAge: 0, invalid: true });
    expect(parseCacheControl('min-fresh=5, min-fresh=9').minFresh).toBe(9);
    expect(parseCacheControl('max-stale, max-stale=10').maxStale).toBe(10);
  });

  it('clamps big values to 2^31 (RFC 9111 §1.2.2) and reads a bare max-stale as that', () => {
    expect(MAX_DELTA_SECONDS).toBe(2147483648);
    expect(parseCacheControl('max-age=2147483647').maxAge).toBe(2147483647);
    expect(parseCacheControl('max-age=2147483649').maxAge).toBe(2147483648);
    expect(parseCacheControl(`max-age=${'9'.repeat(400)}`).maxAge).toBe(2147483648);
    expect(parseCacheControl('max-age=00042').maxAge).toBe(42);
    expect(parseCacheControl('max-stale').maxStale).toBe(2147483648);
  });

  it('still sees no-store after an unterminated quote', () => {
    expect(parseCacheControl('public, max-age=600, x="oops, no-store')).toEqual({
      ...EMPTY,
      public: true,
      maxAge: 600,
      noStore: true,
    });
  });

  it('survives 1MB of hostile input', () => {
    const n = 1 << 20;
    expect(parseCacheControl(`max-age=${'1'.repeat(n)}`).maxAge).toBe(MAX_DELTA_SECONDS);
    expect(parseCacheControl(`${'max-age=1,'.repeat(n / 10)}no-store`).noStore).toBe(true);
    expect(parseCacheControl(`a="${'\\'.repeat(n)}`)).toEqual(EMPTY);
  });
});

describe('formatCacheControl', () => {
  it('writes a stable order and leaves out false/undefined', () => {
    expect(formatCacheControl({ maxAge: 60, public: true })).toBe('public, max-age=60');
    expect(formatCacheControl({ staleIfError: 1, noStore: true, private: true, sMaxAge: 2, noCache: false })).toBe(
      'private, no-store, s-maxage=2, stale-if-error=1',
    );
    expect(formatCacheControl({})).toBe('');
  });

  it('coerces bad numbers to valid delta-seconds', () => {
    expect(formatCacheControl({ maxAge: -5 })).toBe('max-age=0');
    expect(formatCacheControl({ maxAge: Number.NaN })).toBe('max-age=0');
    expect(formatCacheControl({ maxAge: 1.9 })).toBe('max-age=1');
    expect(formatCacheControl({ maxAge: Number.POSITIVE_INFINITY })).toBe('max-age=2147483648');
    expect(formatCacheControl({ maxAge: 1e12 })).toBe('max-age=2147483648');
  });

  it('round-trips through parseCacheControl', () => {
    const seconds = fc.option(fc.integer({ min: 0, max: MAX_DELTA_SECONDS }), { nil: undefined });
    const cc: fc.Arbitrary<CacheControl> = fc.record({
      public: fc.boolean(),
      private: fc.boolean(),
      noStore: fc.boolean(),
      noCache: fc.boolean(),
      mustRevalidate: fc.boolean(),
      proxyRevalidate: fc.boolean(),
      immutable: fc.boolean(),
      noTransform: fc.boolean(),
      mustUnderstand: fc.boolean(),
      maxAge: seconds,
      sMaxAge: seconds,
      staleWhileRevalidate: seconds,
      staleIfError: seconds,
      maxStale: seconds,
      minFresh: seconds,
      invalid: fc.constant(false),
    });
    fc.assert(
      fc.property(cc, (value) => {
        expect(parseCacheControl(formatCacheControl(value))).toEqual(value);
      }),
    );
  });
});

describe('patchCacheControl', () => {
  it('adds to an absent field', () => {
    expect(patchCacheControl(undefined, { public: true, maxAge: 60 })).toBe('public, max-age=60');
    expect(patchCacheControl('', { noStore: true })).toBe('no-store');
  });

  it('keeps the smaller max-age, like Django', () => {
    expect(patchCacheControl('max-age=30', { maxAge: 60 })).toBe('max-age=30');
    expect(patchCacheControl('max-age=90', { maxAge: 60 })).toBe('max-age=60');
    expect(patchCacheControl('max-age=junk', { maxAge: 60 })).toBe('max-age=0');
    expect(patchCacheControl('max-age=30, max-age=20', { maxAge: 60 })).toBe('max-age=20');
  });

  it('makes public and private exclude each other', () => {
    expect(patchCacheControl('private, max-age=30', { public: true })).toBe('max-age=30, public');
    expect(patchCacheControl('public, max-age=30', { private: true })).toBe('max-age=30, private');
    expect(patchCacheControl('private="set-cookie"', { public: true })).toBe('public');
    expect(patchCacheControl(undefined, { public: true, private: true })).toBe('private');
  });

  it('replaces a qualified form when the bare flag is set', () => {
    expect(patchCacheControl('no-cache="set-cookie", max-age=5', { noCache: true })).toBe('no-cache, max-age=5');
  });

  it('removes flags set to false and leaves undefined ones alone', () => {
    expect(patchCacheControl('no-store, must-revalidate, max-age=5', { noStore: false, mustRevalidate: undefined })).toBe(
      'must-revalidate, max-age=5',
    );
    expect(patchCacheControl('no-store', { noStore: false })).toBe('');
  });

  it('keeps unknown directives and their position', () => {
    expect(patchCacheControl('X-Ext="a b", private, community="UCI"', { sMaxAge: 10, public: true })).toBe(
      'x-ext="a b", community=UCI, public, s-maxage=10',
    );
  });

  it('overrides other numbers with the change', () => {
    expect(patchCacheControl('s-maxage=5, stale-while-revalidate=1', { sMaxAge: 50, staleWhileRevalidate: 2 })).toBe(
      's-maxage=50, stale-while-revalidate=2',
    );
  });

  it('never mutates the changes object', () => {
    const changes = Object.freeze({ public: true, maxAge: 10 });
    expect(patchCacheControl('private, max-age=5', changes)).toBe('max-age=5, public');
    expect(changes).toEqual({ public: true, maxAge: 10 });
  });
});
