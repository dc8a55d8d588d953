import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHttpDate, parseHttpDate } from '../../src/http/index.js';

const NOV_6_1994 = 784111777000;
const JAN_1_2025 = Date.UTC(2025, 0, 1);

describe('parseHttpDate', () => {
  it('reads the three RFC 9110 §5.6.7 formats', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(NOV_6_1994);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', JAN_1_2025)).toBe(NOV_6_1994);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(NOV_6_1994);
    expect(parseHttpDate('Sun Nov 16 08:49:37 1994')).toBe(NOV_6_1994 + 10 * 86400_000);
    expect(parseHttpDate('Sun Nov 06 08:49:37 1994')).toBe(NOV_6_1994);
  });

  it('trims surrounding OWS only', () => {
    expect(parseHttpDate(' \tSun, 06 Nov 1994 08:49:37 GMT\t ')).toBe(NOV_6_1994);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT\n')).toBeUndefined();
  });

  it('reads two-digit RFC 850 years relative to now (RFC 9110 §5.6.7)', () => {
    expect(parseHttpDate('Tuesday, 01-Jan-70 00:00:00 GMT', JAN_1_2025)).toBe(Date.UTC(2070, 0, 1));
    expect(parseHttpDate('Friday, 01-Jan-75 00:00:00 GMT', JAN_1_2025)).toBe(Date.UTC(2075, 0, 1));
    expect(parseHttpDate('Saturday, 01-Jan-76 00:00:00 GMT', JAN_1_2025)).toBe(Date.UTC(1976, 0, 1));
    expect(parseHttpDate('Monday, 01-Jan-01 00:00:00 GMT', JAN_1_2025)).toBe(Date.UTC(2001, 0, 1));
  });

  it('accepts a leap second', () => {
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT')).toBe(Date.UTC(2017, 0, 1));
  });

  it('handles years before 100 without the 19xx shift', () => {
    expect(parseHttpDate('Mon, 01 Jan 0001 00:00:00 GMT')).toBe(new Date('0001-01-01T00:00:00Z').getTime());
  });

  it('rejects everything else with undefined, never NaN', () => {
    const bad = [
      undefined,
      '',
      'garbage',
      '784111777',
      'sun, 06 Nov 1994 08:49:37 GMT',
      'Sun, 06 nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 gmt',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'Sun, 06 Nov 1994 08:49:37 +0000',
      'Sun, 6 Nov 1994 08:49:37 GMT',
      'Sun,  06 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 94 08:49:37 GMT',
      'Sun, 06 Nov 1994 8:49:37 GMT',
      'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 00 Nov 1994 08:49:37 GMT',
      'Sun, 32 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun, 06 Nov 1994 08:60:00 GMT',
      'Sun, 06 Nov 1994 08:49:61 GMT',
      'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 GMTx',
      'Sunday, 06-Nov-1994 08:49:37 GMT',
      'Sun, 06-Nov-94 08:49:37 GMT',
      'Sun Nov 6 08:49:37 1994',
      'Sun Nov  6 08:49:37 1994 GMT',
      '2024-01-01T00:00:00Z',
      'Sun, ０６ Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 GMT'.repeat(40_000),
    ];
    for (const value of bad) expect(parseHttpDate(value), String(value)).toBeUndefined();
  });

  it('never throws nor returns NaN on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer(), (value, now) => {
        const ms = parseHttpDate(value, now);
        expect(ms === undefined || Number.isInteger(ms)).toBe(true);
      }),
    );
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Number.NaN)).toBe(NOV_6_1994);
  });
});

describe('formatHttpDate', () => {
  it('writes an IMF-fixdate truncated to the second', () => {
    expect(formatHttpDate(NOV_6_1994)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(NOV_6_1994 + 999)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('refuses times the format cannot express', () => {
    expect(() => formatHttpDate(Number.NaN)).toThrow(RangeError);
    expect(() => formatHttpDate(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => formatHttpDate(253402300800000)).toThrow(RangeError);
    expect(() => formatHttpDate(-62198755200000)).toThrow(RangeError);
  });

  it('round-trips through parseHttpDate, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62167219200000, max: 253402300799999 }), (t) => {
        expect(parseHttpDate(formatHttpDate(t))).toBe(Math.floor(t / 1000) * 1000);
      }),
    );
  });
});
