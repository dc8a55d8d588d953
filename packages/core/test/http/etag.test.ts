import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEntityTag, parseIfNoneMatch, strongETag, strongMatch, weakMatch } from '../../src/http/index.js';

describe('parseEntityTag', () => {
  it('parses strong and weak tags (RFC 9110 §8.8.3)', () => {
    expect(parseEntityTag('"xyzzy"')).toEqual({ weak: false, tag: 'xyzzy' });
    expect(parseEntityTag('W/"xyzzy"')).toEqual({ weak: true, tag: 'xyzzy' });
    expect(parseEntityTag('""')).toEqual({ weak: false, tag: '' });
    expect(parseEntityTag(' \t"a"\t')).toEqual({ weak: false, tag: 'a' });
    expect(parseEntityTag('"a\\"')).toEqual({ weak: false, tag: 'a\\' });
    expect(parseEntityTag('"\u00e9"')).toEqual({ weak: false, tag: '\u00e9' });
  });

  it('rejects anything else', () => {
    for (const bad of [
      undefined,
      '',
      'xyzzy',
      '"',
      'w/"a"',
      'W/a',
      'W/',
      '"a"b',
      'W/ "a"',
      '"a b"',
      '"a"b"',
      '"\u0001"',
      '"\u20ac"',
      "'a'",
      '"a"\n',
    ]) {
      expect(parseEntityTag(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('parseIfNoneMatch', () => {
  it('parses the RFC 9110 §13.1.2 examples', () => {
    expect(parseIfNoneMatch('"xyzzy"')).toEqual([{ weak: false, tag: 'xyzzy' }]);
    expect(parseIfNoneMatch('W/"xyzzy"')).toEqual([{ weak: true, tag: 'xyzzy' }]);
    expect(parseIfNoneMatch('"xyzzy", "r2d2xxxx", "c3piozzzz"')).toEqual([
      { weak: false, tag: 'xyzzy' },
      { weak: false, tag: 'r2d2xxxx' },
      { weak: false, tag: 'c3piozzzz' },
    ]);
    expect(parseIfNoneMatch('W/"xyzzy", W/"r2d2xxxx"')).toHaveLength(2);
    expect(parseIfNoneMatch('*')).toBe('*');
    expect(parseIfNoneMatch(' * ')).toBe('*');
  });

  it('keeps commas inside tags and skips malformed elements, and a * in a list', () => {
    expect(parseIfNoneMatch('"a,b", junk, *, W/"c"')).toEqual([
      { weak: false, tag: 'a,b' },
      { weak: true, tag: 'c' },
    ]);
    expect(parseIfNoneMatch(undefined)).toEqual([]);
    expect(parseIfNoneMatch('')).toEqual([]);
    expect(parseIfNoneMatch('"open')).toEqual([]);
  });

  it('survives 1MB of hostile input', () => {
    expect(parseIfNoneMatch(`"${'a'.repeat(1 << 20)}`)).toEqual([]);
    expect(parseIfNoneMatch('"a",'.repeat(1 << 18))).toHaveLength(1 << 18);
  });
});

describe('weakMatch and strongMatch (RFC 9110 §8.8.3.2 table)', () => {
  const table: Array<[string, string, boolean, boolean]> = [
    ['W/"1"', 'W/"1"', false, true],
    ['W/"1"', 'W/"2"', false, false],
    ['W/"1"', '"1"', false, true],
    ['"1"', '"1"', true, true],
  ];
  it.each(table)('%s vs %s', (a, b, strong, weak) => {
    expect(strongMatch(a, b)).toBe(strong);
    expect(weakMatch(a, b)).toBe(weak);
  });

  it('accepts parsed tags and never matches a malformed one', () => {
    expect(weakMatch({ weak: true, tag: 'a' }, '"a"')).toBe(true);
    expect(weakMatch('a', 'a')).toBe(false);
    expect(strongMatch('"a', '"a')).toBe(false);
  });

  it('is symmetric', () => {
    const etag = fc.oneof(
      fc.record({ weak: fc.boolean(), tag: fc.constantFrom('', 'a', 'b', 'v1') }),
      fc.constantFrom('"a"', 'W/"a"', '"b"', 'W/"v1"', 'junk', '""'),
    );
    fc.assert(
      fc.property(etag, etag, (a, b) => {
        expect(weakMatch(a, b)).toBe(weakMatch(b, a));
        expect(strongMatch(a, b)).toBe(strongMatch(b, a));
      }),
    );
  });
});

describe('strongETag', () => {
  it('quotes the first 27 base64url characters of the SHA-256', () => {
    expect(strongETag('hello')).toBe('"LPJNul-wow4m6DsqxbninhsWHlw"');
    expect(strongETag(new TextEncoder().encode('hello'))).toBe('"LPJNul-wow4m6DsqxbninhsWHlw"');
    expect(strongETag('')).toBe(`"${createHash('sha256').update('').digest('base64url').slice(0, 27)}"`);
    expect(strongETag('é')).toBe(strongETag(new Uint8Array([0xc3, 0xa9])));
  });

  it('yields a valid strong entity-tag', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (body) => {
        const etag = strongETag(body);
        expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
        expect(parseEntityTag(etag)).toEqual({ weak: false, tag: etag.slice(1, -1) });
      }),
    );
  });
});
