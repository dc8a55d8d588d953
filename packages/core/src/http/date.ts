import { trimOws } from './tokenizer.js';

const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// RFC 9110 §5.6.7: names, `GMT` and the single spaces are case- and byte-exact.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);
const LONGEST = 'Wednesday, 09-Nov-94 08:49:37 GMT'.length;

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7) to ms since the epoch: IMF-fixdate, or the
 * obsolete RFC 850 and asctime formats. Anything else, out-of-range fields included,
 * is `undefined` (never NaN). The weekday name is checked for spelling only.
 *
 * A two-digit RFC 850 year more than 50 years after `now`'s year means the previous
 * century, as §5.6.7 requires; `now` defaults to `Date.now()`.
 *
 * @example
 * parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT') // 784111777000
 */
export function parseHttpDate(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = trimOws(value);
  if (text.length > LONGEST) return undefined;
  let m = IMF_FIXDATE.exec(text);
  if (m) return toTime(Number(m[4]), m[3], Number(m[2]), m.slice(5));
  m = RFC850.exec(text);
  if (m) return toTime(fullYear(Number(m[4]), now), m[3], Number(m[2]), m.slice(5));
  m = ASCTIME.exec(text);
  if (m) return toTime(Number(m[7]), m[2], Number(m[3]), m.slice(4, 7));
  return undefined;
}

function fullYear(twoDigits: number, now: number): number {
  const current = Number.isFinite(now) ? new Date(now).getUTCFullYear() : 1970;
  const year = current - (current % 100) + twoDigits;
  return year > current + 50 ? year - 100 : year;
}

function toTime(year: number, monthName: string | undefined, day: number, time: string[]): number | undefined {
  const month = MONTHS.indexOf(monthName ?? '');
  const [hour, minute, second] = time.map(Number);
  if (hour === undefined || minute === undefined || second === undefined) return undefined;
  // second 60 is a leap second (RFC 9110 §5.6.7).
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  return date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000;
}

/**
 * Formats ms since the epoch as an IMF-fixdate, truncated to the second.
 *
 * Throws a `RangeError` outside years 0–9999, which the format cannot express.
 *
 * @example
 * formatHttpDate(784111777000) // 'Sun, 06 Nov 1994 08:49:37 GMT'
 */
export function formatHttpDate(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) throw new RangeError(`[cachette:core] not a representable HTTP-date: ${ms}`);
  return date.toUTCString();
}
