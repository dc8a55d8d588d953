/** One `name[=value]` element of a directive list, as in `Cache-Control`. */
export interface Directive {
  /** Lower-cased directive name. */
  name: string;
  /** The argument, unquoted; `undefined` when there is no `=`. */
  value: string | undefined;
}

const HTAB = 0x09;
const SP = 0x20;
const DQUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
// tchar (RFC 9110 §5.6.2).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const QUOTED_PAIR = /\\([\s\S])/g;

// A quoted-string is a whole value (RFC 9110 §5.6.4): it opens an element, an argument
// (`=`), a parameter (`;`) or an entity-tag's opaque part (`W/`), never mid-token.
const OPENS_QUOTE = new Set([COMMA, 0x3d, 0x3b, 0x2f]);

const isOws = (c: number): boolean => c === SP || c === HTAB;

/**
 * Trims optional whitespace (SP and HTAB only, RFC 9110 §5.6.3) from both ends.
 *
 * @example
 * trimOws('\t a b ') // 'a b'
 */
export function trimOws(value: string, from = 0, to = value.length): string {
  let start = from;
  let end = to;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}

/**
 * Whether `value` is a non-empty token (RFC 9110 §5.6.2).
 *
 * @example
 * isToken('max-age') // true
 */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * Splits a comma-separated list field (RFC 9110 §5.6.1): commas inside quoted-strings
 * (with `\` escapes) do not split, OWS is trimmed and empty elements are dropped. A `"`
 * inside a token (`a"b`) is a plain character, not the start of a quoted-string.
 *
 * An unterminated quoted-string is malformed; rather than let it swallow the rest of
 * the field (and hide e.g. a `no-store`), every later comma splits. Linear time.
 *
 * @example
 * splitList('a, "b,c" ,, d') // ['a', '"b,c"', 'd']
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  let previous = COMMA;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === DQUOTE) quoted = false;
    } else if (c === DQUOTE && OPENS_QUOTE.has(previous)) {
      quoted = true;
    } else if (c === COMMA) {
      pushElement(out, value, start, i);
      start = i + 1;
    }
    if (!isOws(c)) previous = c;
  }
  if (!quoted) {
    pushElement(out, value, start, value.length);
    return out;
  }
  for (let i = value.indexOf(',', start); i !== -1; i = value.indexOf(',', start)) {
    pushElement(out, value, start, i);
    start = i + 1;
  }
  pushElement(out, value, start, value.length);
  return out;
}

function pushElement(out: string[], value: string, from: number, to: number): void {
  const element = trimOws(value, from, to);
  if (element !== '') out.push(element);
}

/**
 * Parses `name`, `name=token` and `name="quoted"` elements of a list field; names are
 * lower-cased, spaces around `=` tolerated, elements without a name dropped.
 *
 * A malformed quoted argument (unterminated, or text after the closing quote) is
 * returned raw, quotes included, so that a numeric reader rejects it.
 *
 * @example
 * parseDirectives('Max-Age = 60, private="set-cookie"')
 * // [{ name: 'max-age', value: '60' }, { name: 'private', value: 'set-cookie' }]
 */
export function parseDirectives(value: string): Directive[] {
  const out: Directive[] = [];
  for (const element of splitList(value)) {
    const eq = element.indexOf('=');
    const name = trimOws(eq === -1 ? element : element.slice(0, eq)).toLowerCase();
    if (name === '') continue;
    out.push({ name, value: eq === -1 ? undefined : unquote(trimOws(element, eq + 1)) });
  }
  return out;
}

/** Removes quotes and `\` escapes from a well-formed quoted-string (RFC 9110 §5.6.4). */
function unquote(raw: string): string {
  if (raw.charCodeAt(0) !== DQUOTE) return raw;
  let i = 1;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === DQUOTE) break;
  }
  if (i !== raw.length - 1) return raw;
  return raw.slice(1, -1).replace(QUOTED_PAIR, '$1');
}

/**
 * Formats directives back into a list field, quoting arguments that are not tokens.
 *
 * @example
 * formatDirectives([{ name: 'no-cache', value: 'set-cookie, x' }]) // 'no-cache="set-cookie, x"'
 */
export function formatDirectives(directives: readonly Directive[]): string {
  return directives.map(formatDirective).join(', ');
}

function formatDirective({ name, value }: Directive): string {
  if (value === undefined) return name;
  if (isToken(value)) return `${name}=${value}`;
  return `${name}="${value.replace(/["\\]/g, '\\$&')}"`;
}
