import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cookieNames, parseCookies } from '../../src/http/index.js';

describe('parseCookies', () => {
  it('parses name=value pairs (RFC 6265 §4.2.1)', () => {
    expect(parseCookies('SID=31d4d96e407aad42; lang=en-US')).toEqual(
      new Map([
        ['SID', '31d4d96e407aad42'],
        ['lang', 'en-US'],
      ]),
    );
    expect(parseCookies('a=1;b=2 ;  c = 3 ')).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ]),
    );
  });

  it('removes one pair of quotes and does not decode', () => {
    expect(parseCookies('a="x y"; b=%41; c=""; d="')).toEqual(
      new Map([
        ['a', 'x y'],
        ['b', '%41'],
        ['c', ''],
        ['d', '"'],
      ]),
    );
  });

  it('keeps the first occurrence, with case-sensitive names (RFC 6265 §5.4)', () => {
    expect(parseCookies('sid=new; SID=X; sid=old')).toEqual(
      new Map([
        ['sid', 'new'],
        ['SID', 'X'],
      ]),
    );
  });

  it('keeps "=" inside values and empty values', () => {
    expect(parseCookies('t=a=b==; e=')).toEqual(
      new Map([
        ['t', 'a=b=='],
        ['e', ''],
      ]),
    );
  });

  it('skips pairs without a name or "=", and tolerates garbage', () => {
    expect(parseCookies('flag; =v; ; a=1;;')).toEqual(new Map([['a', '1']]));
    expect(parseCookies(undefined)).toEqual(new Map());
    expect(parseCookies('')).toEqual(new Map());
    expect(parseCookies('__proto__=x; constructor=y').get('__proto__')).toBe('x');
  });

  it('joins several field lines with "; " (RFC 9113 §8.2.3)', () => {
    expect(parseCookies(['a=1', 'b=2; a=3'])).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (header) => {
        for (const [name] of parseCookies(header)) expect(name).not.toBe('');
      }),
    );
    expect(parseCookies('a=b;'.repeat(1 << 18)).size).toBe(1);
  });
});

describe('cookieNames', () => {
  it('lists distinct names in order of appearance', () => {
    expect(cookieNames('b=1; a=2; b=3; csrftoken=x')).toEqual(['b', 'a', 'csrftoken']);
    expect(cookieNames(undefined)).toEqual([]);
  });
});
