import { describe, expect, it } from 'vitest';
import { isReadablePart, safeKeyPart } from '../src/cache/keys.js';

describe('isReadablePart: which keys go into a store key as they are', () => {
  it('takes short printable ASCII without space, not starting with #; hashes anything else', () => {
    for (const key of ['a', '!', '~', 'a#b', 'user:42/profile?x=1', 'k'.repeat(120)]) expect(isReadablePart(key), key).toBe(true);
    for (const key of ['', ' ', 'a b', '#a', '\u007f', 'a\n', 'a\u0000', 'café', 'k'.repeat(121), '\t']) {
      expect(isReadablePart(key), JSON.stringify(key)).toBe(false);
      expect(safeKeyPart(key)).toMatch(/^#[A-Za-z0-9_-]{43}$/);
    }
    // every ASCII character alone and after a readable one: the rule, character by character
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      const printable = code >= 0x21 && code <= 0x7e;
      expect(isReadablePart(c), `first ${code}`).toBe(printable && c !== '#');
      expect(isReadablePart(`a${c}`), `after ${code}`).toBe(printable);
    }
  });
});
