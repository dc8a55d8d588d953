/** A bare item of a structured field (RFC 8941 §3.3); byte sequences are kept as their base64 text. */
export type BareItem = number | string | boolean | { token: string } | { bytes: string };

/** A Dictionary member's value: an item, or an inner list of items (parameters are dropped). */
export type DictionaryValue = BareItem | BareItem[];

const KEY = /^[a-z*][a-z0-9_\-.*]*/;
const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/;
const NUMBER = /^-?[0-9]{1,15}(\.[0-9]{1,3})?/;
const BYTES = /^:[A-Za-z0-9+/=]*:/;

/**
 * Parses a Dictionary structured field (RFC 8941 §4.2.2), the syntax of targeted cache-control
 * fields (RFC 9213 §2.1). Parameters are read and dropped. `undefined` on any parse error, as
 * the RFC requires: a field that does not parse is ignored whole.
 *
 * @example
 * parseDictionary('max-age=60, private') // Map { 'max-age' => 60, 'private' => true }
 */
export function parseDictionary(input: string): Map<string, DictionaryValue> | undefined {
  const p = { text: input.replace(/^ +| +$/g, ''), at: 0 };
  const out = new Map<string, DictionaryValue>();
  if (p.text === '') return undefined;
  while (p.at < p.text.length) {
    const key = match(p, KEY);
    if (key === undefined) return undefined;
    let value: DictionaryValue | undefined = true;
    if (p.text[p.at] === '=') {
      p.at++;
      value = p.text[p.at] === '(' ? innerList(p) : bareItem(p);
      if (value === undefined) return undefined;
    }
    if (!parameters(p)) return undefined;
    out.set(key, value);
    p.at += (/^[ \t]*/.exec(p.text.slice(p.at)) as RegExpExecArray)[0].length;
    if (p.at === p.text.length) return out;
    if (p.text[p.at] !== ',') return undefined;
    p.at++;
    p.at += (/^[ \t]*/.exec(p.text.slice(p.at)) as RegExpExecArray)[0].length;
    // A trailing comma is an error (RFC 8941 §4.2.2 step 3.7).
    if (p.at === p.text.length) return undefined;
  }
  return out;
}

interface Parser {
  text: string;
  at: number;
}

function match(p: Parser, pattern: RegExp): string | undefined {
  const found = pattern.exec(p.text.slice(p.at))?.[0];
  if (found !== undefined) p.at += found.length;
  return found;
}

function bareItem(p: Parser): BareItem | undefined {
  const c = p.text[p.at];
  if (c === '"') return quoted(p);
  if (c === '?') {
    const flag = match(p, /^\?[01]/);
    return flag === undefined ? undefined : flag === '?1';
  }
  if (c === ':') {
    const bytes = match(p, BYTES);
    return bytes === undefined ? undefined : { bytes: bytes.slice(1, -1) };
  }
  if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
    const number = match(p, NUMBER);
    return number === undefined ? undefined : Number(number);
  }
  const token = match(p, TOKEN);
  return token === undefined ? undefined : { token };
}

/** sf-string: printable ASCII, `\"` and `\\` the only escapes. */
function quoted(p: Parser): string | undefined {
  let out = '';
  for (let i = p.at + 1; i < p.text.length; i++) {
    const c = p.text.charCodeAt(i);
    if (c === 0x22) {
      p.at = i + 1;
      return out;
    }
    if (c === 0x5c) {
      const next = p.text[++i];
      if (next !== '"' && next !== '\\') return undefined;
      out += next;
    } else if (c < 0x20 || c > 0x7e) {
      return undefined;
    } else {
      out += p.text[i];
    }
  }
  return undefined;
}

function innerList(p: Parser): BareItem[] | undefined {
  const items: BareItem[] = [];
  p.at++;
  for (;;) {
    p.at += (/^ */.exec(p.text.slice(p.at)) as RegExpExecArray)[0].length;
    if (p.text[p.at] === ')') {
      p.at++;
      return items;
    }
    const item = bareItem(p);
    if (item === undefined || !parameters(p)) return undefined;
    items.push(item);
    if (p.text[p.at] !== ' ' && p.text[p.at] !== ')') return undefined;
  }
}

function parameters(p: Parser): boolean {
  while (p.text[p.at] === ';') {
    p.at++;
    p.at += (/^ */.exec(p.text.slice(p.at)) as RegExpExecArray)[0].length;
    if (match(p, KEY) === undefined) return false;
    if (p.text[p.at] === '=') {
      p.at++;
      if (bareItem(p) === undefined) return false;
    }
  }
  return true;
}
