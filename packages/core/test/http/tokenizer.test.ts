import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Directive, formatDirectives, isToken, parseDirectives, splitList } from '../../src/http/index.js';

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
const lowerToken = token.map((t) => t.toLowerCase());
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

describe('splitList', () => {
  it('splits, trims OWS and drops empty elements (RFC 9110 §5.6.1)', () => {
    expect(splitList('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitList(' ,\t, a ,, b\t, ')).toEqual(['a', 'b']);
    expect(splitList('')).toEqual([]);
    expect(splitList(' \t ')).toEqual([]);
  });

  it('keeps commas inside quoted-strings, with escapes', () => {
    expect(splitList('a="x, y", b')).toEqual(['a="x, y"', 'b']);
    expect(splitList('"a,b", W/"c,d"')).toEqual(['"a,b"', 'W/"c,d"']);
    expect(splitList('a="q\\", still", b')).toEqual(['a="q\\", still"', 'b']);
    expect(splitList('a;p="1,2", b')).toEqual(['a;p="1,2"', 'b']);
  });

  it('does not let an unterminated quote swallow the rest of the list', () => {
    expect(splitList('max-age=60, foo="x, no-store, private')).toEqual(['max-age=60', 'foo="x', 'no-store', 'private']);
    expect(splitList('a="\\')).toEqual(['a="\\']);
  });

  it('treats a quote inside a token as a plain character', () => {
    expect(splitList('foo=x"y, no-store, z"')).toEqual(['foo=x"y', 'no-store', 'z"']);
  });

  it('keeps control characters inside elements and trims only SP/HTAB', () => {
    expect(splitList('a\u0000b, \nc\r')).toEqual(['a\u0000b', '\nc\r']);
  });

  it('is linear on 1MB of hostile input', () => {
    const n = 1 << 20;
    expect(splitList(','.repeat(n))).toEqual([]);
    expect(splitList(`a="${'\\"'.repeat(n / 2)}`)).toHaveLength(1);
    expect(splitList('"\\'.repeat(n / 2))).toHaveLength(1);
    expect(splitList('="'.repeat(n / 2)).length).toBe(1);
    expect(splitList(`x="${',"'.repeat(n / 2)}`).length).toBeGreaterThan(0);
    expect(splitList(`${' '.repeat(n)}a${' '.repeat(n)}`)).toEqual(['a']);
  });

  it('never throws and returns non-empty trimmed elements', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        for (const element of splitList(input)) {
          expect(element).not.toBe('');
          expect(element).toBe(element.replace(/^[ \t]+|[ \t]+$/g, ''));
        }
      }),
    );
  });

  it('round-trips a formatted list of tokens and quoted-strings', () => {
    const quoted = anyText.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`);
    fc.assert(
      fc.property(fc.array(fc.oneof(token, quoted), { maxLength: 10 }), fc.constantFrom(',', ', ', ' ,\t'), (items, sep) => {
        expect(splitList(items.join(sep))).toEqual(items);
      }),
    );
  });
});

describe('parseDirectives', () => {
  it('parses bare, token and quoted forms, lower-casing names', () => {
    expect(parseDirectives('No-Store, Max-Age=60, private="set-cookie, x", ext="a\\"b\\\\"')).toEqual([
      { name: 'no-store', value: undefined },
      { name: 'max-age', value: '60' },
      { name: 'private', value: 'set-cookie, x' },
      { name: 'ext', value: 'a"b\\' },
    ]);
  });

  it('tolerates spaces around "=" and keeps empty arguments', () => {
    expect(parseDirectives('max-age = 5 , s-maxage=\t"7"  , a=, =9')).toEqual([
      { name: 'max-age', value: '5' },
      { name: 's-maxage', value: '7' },
      { name: 'a', value: '' },
    ]);
  });

  it('returns a malformed quoted argument raw', () => {
    expect(parseDirectives('max-age="5"x, b="open')).toEqual([
      { name: 'max-age', value: '"5"x' },
      { name: 'b', value: '"open' },
    ]);
    expect(parseDirectives('a="\\')).toEqual([{ name: 'a', value: '"\\' }]);
  });

  it('is linear on 1MB of hostile input', () => {
    const n = 1 << 20;
    expect(parseDirectives(`a="${'\\x'.repeat(n / 2)}"`)[0]?.value).toHaveLength(n / 2);
    expect(parseDirectives('a=b='.repeat(n / 4))).toHaveLength(1);
    expect(parseDirectives('=,'.repeat(n / 2))).toEqual([]);
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        for (const { name } of parseDirectives(input)) expect(name).toBe(name.toLowerCase());
      }),
    );
  });

  it('round-trips formatDirectives', () => {
    const directive: fc.Arbitrary<Directive> = fc.record({
      name: lowerToken,
      value: fc.option(fc.oneof(token, anyText), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(directive, { maxLength: 8 }), (directives) => {
        expect(parseDirectives(formatDirectives(directives))).toEqual(directives);
      }),
    );
  });
});

describe('formatDirectives and isToken', () => {
  it('quotes only non-tokens', () => {
    expect(
      formatDirectives([
        { name: 'a', value: '1' },
        { name: 'b', value: undefined },
        { name: 'c', value: 'x y"\\' },
      ]),
    ).toBe('a=1, b, c="x y\\"\\\\"');
    expect(formatDirectives([{ name: 'e', value: '' }])).toBe('e=""');
  });

  it('recognises tokens', () => {
    expect(isToken("!#$%&'*+-.^_`|~09azAZ")).toBe(true);
    expect(isToken('')).toBe(false);
    expect(isToken('a b')).toBe(false);
    expect(isToken('a,b')).toBe(false);
    expect(isToken('é')).toBe(false);
  });
});
