import { createHash } from 'node:crypto';
import { splitList, trimOws } from './tokenizer.js';

/** A parsed entity-tag: `W/"abc"` is `{ weak: true, tag: 'abc' }` (tag without quotes). */
export interface EntityTag {
  weak: boolean;
  tag: string;
}

/** etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3). */
const isEtagc = (c: number): boolean => c === 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);

/**
 * Parses one entity-tag with the strict RFC 9110 §8.8.3 syntax (`W/` is case-sensitive);
 * `undefined` when malformed.
 *
 * @example
 * parseEntityTag('W/"v1"') // { weak: true, tag: 'v1' }
 */
export function parseEntityTag(value: string | undefined): EntityTag | undefined {
  if (value === undefined) return undefined;
  const text = trimOws(value);
  const weak = text.startsWith('W/');
  const open = weak ? 2 : 0;
  const close = text.length - 1;
  if (close <= open || text.charCodeAt(open) !== 0x22 || text.charCodeAt(close) !== 0x22) return undefined;
  for (let i = open + 1; i < close; i++) if (!isEtagc(text.charCodeAt(i))) return undefined;
  return { weak, tag: text.slice(open + 1, close) };
}

/**
 * Parses `If-None-Match` (RFC 9110 §13.1.2): `'*'`, or the well-formed entity-tags
 * (malformed elements, and a `*` mixed into a list, are skipped).
 *
 * @example
 * parseIfNoneMatch('"a", W/"b", junk') // [{ weak: false, tag: 'a' }, { weak: true, tag: 'b' }]
 */
export function parseIfNoneMatch(value: string | undefined): '*' | EntityTag[] {
  if (value === undefined) return [];
  if (trimOws(value) === '*') return '*';
  const tags: EntityTag[] = [];
  for (const element of splitList(value)) {
    const tag = parseEntityTag(element);
    if (tag !== undefined) tags.push(tag);
  }
  return tags;
}

const toTag = (value: EntityTag | string): EntityTag | undefined => (typeof value === 'string' ? parseEntityTag(value) : value);

/**
 * Weak comparison (RFC 9110 §8.8.3.2): the opaque tags match, weak or not. Strings are
 * parsed first; a malformed one never matches.
 *
 * @example
 * weakMatch('W/"1"', '"1"') // true
 */
export function weakMatch(a: EntityTag | string, b: EntityTag | string): boolean {
  const left = toTag(a);
  const right = toTag(b);
  return left !== undefined && right !== undefined && left.tag === right.tag;
}

/**
 * Strong comparison (RFC 9110 §8.8.3.2): both strong and the opaque tags match.
 *
 * @example
 * strongMatch('W/"1"', '"1"') // false
 */
export function strongMatch(a: EntityTag | string, b: EntityTag | string): boolean {
  const left = toTag(a);
  const right = toTag(b);
  return left !== undefined && right !== undefined && !left.weak && !right.weak && left.tag === right.tag;
}

/**
 * A strong ETag for a body: the first 27 characters of its base64url SHA-256 (162 bits),
 * quoted. Strings are hashed as UTF-8.
 *
 * @example
 * strongETag('hello') // '"LPJNul-wow4m6DsqxbninhsWHlw"'
 */
export function strongETag(body: Uint8Array | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
