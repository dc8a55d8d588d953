import { describe, expect, it } from 'vitest';
import { parseTargetedCacheControl } from '../../src/http/targeted-cache-control.js';

describe('parseTargetedCacheControl (RFC 9213 §2.1: a structured Dictionary)', () => {
  it('reads flags and integer durations', () => {
    expect(parseTargetedCacheControl('max-age=3600, public')).toMatchObject({ maxAge: 3600, public: true, noStore: false });
    expect(parseTargetedCacheControl('s-maxage=60, stale-while-revalidate=30, stale-if-error=90')).toMatchObject({
      sMaxAge: 60,
      staleWhileRevalidate: 30,
      staleIfError: 90,
    });
    expect(parseTargetedCacheControl('no-store')).toMatchObject({ noStore: true });
    expect(parseTargetedCacheControl('private, no-cache;x=1')).toMatchObject({ private: true, noCache: true });
  });

  it('a qualified private or no-cache (a string or a list) still restricts', () => {
    expect(parseTargetedCacheControl('private="set-cookie"')).toMatchObject({ private: true });
    expect(parseTargetedCacheControl('no-cache=("a" "b")')).toMatchObject({ noCache: true });
  });

  it('a false flag is no flag; unknown members are ignored', () => {
    expect(parseTargetedCacheControl('no-store=?0, max-age=5, x-ext=abc')).toMatchObject({ noStore: false, maxAge: 5 });
    expect(parseTargetedCacheControl('public="yes", max-age=5')).toMatchObject({ public: false, maxAge: 5 });
  });

  it.each([
    ['an empty field', ''],
    ['a decimal duration', 'max-age=3600.5'],
    ['a duration with letters', 'max-age=3600a'],
    ['a negative duration', 'max-age=-1'],
    ['a string duration', 'max-age="3600"'],
    ['an upper-case key', 'Max-Age=3600'],
    ['a trailing comma', 'max-age=3600,'],
    ['a space before =', 'max-age =3600'],
    ['an unterminated string', 'private="a'],
  ])('%s is not a valid field: undefined', (_name, value) => {
    expect(parseTargetedCacheControl(value)).toBeUndefined();
  });
});
