import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeVary, parseVary } from '../../src/http/index.js';

describe('parseVary', () => {
  it('lower-cases, de-duplicates and sorts names', () => {
    expect(parseVary('Accept-Encoding, Cookie, accept-encoding ,ACCEPT-LANGUAGE')).toEqual({
      any: false,
      names: ['accept-encoding', 'accept-language', 'cookie'],
    });
  });

  it('reads absent and empty fields as varying on nothing', () => {
    expect(parseVary(undefined)).toEqual({ any: false, names: [] });
    expect(parseVary('')).toEqual({ any: false, names: [] });
    expect(parseVary(' , ')).toEqual({ any: false, names: [] });
  });

  it('reads * anywhere as any (RFC 9110 §12.5.5)', () => {
    expect(parseVary('*')).toEqual({ any: true, names: [] });
    expect(parseVary(' * ')).toEqual({ any: true, names: [] });
    expect(parseVary('Accept, *')).toEqual({ any: true, names: ['accept'] });
  });

  it('reads a malformed element as any, so the response is not reused', () => {
    expect(parseVary('Accept, "Cookie"').any).toBe(true);
    expect(parseVary('Accept Encoding').any).toBe(true);
    expect(parseVary('Accept;q=1').any).toBe(true);
    expect(parseVary('Accépt').any).toBe(true);
    expect(parseVary('x\u0000y').any).toBe(true);
  });

  it('is insensitive to case, spaces and order', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const casing = (s: string, mask: boolean[]) =>
      [...s].map((c, i) => (mask[i % Math.max(mask.length, 1)] ? c.toUpperCase() : c)).join('');
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 12 }),
        fc.constantFrom(',', ', ', ' ,\t', '\t,  '),
        (names, mask, sep) => {
          const expected = parseVary(names.join(','));
          const shuffled = [...names].reverse().map((n) => casing(n, mask));
          expect(parseVary(shuffled.join(sep))).toEqual(expected);
          expect(expected.names).toEqual([...new Set(names)].sort());
        },
      ),
    );
  });
});

describe('mergeVary', () => {
  it('appends new names, keeping the first spelling (Django patch_vary_headers)', () => {
    expect(mergeVary('Accept-Encoding', ['accept-encoding', 'Cookie'])).toBe('Accept-Encoding, Cookie');
    expect(mergeVary(undefined, ['Cookie', 'cookie', 'Accept'])).toBe('Cookie, Accept');
    expect(mergeVary('Accept, accept', [])).toBe('Accept');
    expect(mergeVary('', [])).toBe('');
  });

  it('collapses to * when any element is *', () => {
    expect(mergeVary('Accept', ['*'])).toBe('*');
    expect(mergeVary('*', ['Cookie'])).toBe('*');
  });

  it('splits list items passed in add', () => {
    expect(mergeVary('Cookie', ['Accept-Language, cookie'])).toBe('Cookie, Accept-Language');
  });

  it('keeps malformed existing elements so the result stays uncacheable', () => {
    const merged = mergeVary('Accept Encoding', ['Cookie']);
    expect(merged).toBe('Accept Encoding, Cookie');
    expect(parseVary(merged).any).toBe(true);
  });
});
