import type { Admin } from './admin.js';
import { bounded } from './bounded.js';

/**
 * What one namespace path holds in Redis. Store keys are laid out by `@cachette/core` as
 * `<namespace>@<version>[/<child>…]/<kind>:<key>`, kind `k` (entry), `t` (tag mark), `c` (clear mark).
 */
export interface SpaceCount {
  /** `shop@1`, or `shop@1/users` for a child namespace. */
  path: string;
  entries: number;
  tagMarks: number;
  clearMarks: number;
}

const PATH = /^[A-Za-z0-9_.-]{1,64}@\d+(\/[A-Za-z0-9_.-]{1,64})*$/;
const KINDS = { k: 'entries', t: 'tagMarks', c: 'clearMarks' } as const;

/** Walks the keys matching a SCAN pattern on every master; `visit` returns false to stop. */
export async function scanKeys(admin: Admin, match: string, visit: (keys: readonly string[]) => boolean | undefined): Promise<void> {
  for (const node of admin.nodes) {
    let cursor = '0';
    do {
      const reply = await bounded(node.scan(cursor, { MATCH: match, COUNT: 1_000 }), admin.timeout, 'SCAN');
      cursor = String(reply.cursor);
      if (reply.keys.length > 0 && visit(reply.keys) === false) return;
    } while (cursor !== '0');
  }
}

/** Counts the keys of every namespace path under `root` (every version), or of every namespace. */
export async function countSpaces(admin: Admin, root: string | undefined): Promise<SpaceCount[]> {
  const counts = new Map<string, SpaceCount>();
  await scanKeys(admin, root === undefined ? '*' : `${escapeGlob(root)}@*`, (keys) => {
    for (const key of keys) {
      const split = splitKey(key);
      if (!split) continue;
      let count = counts.get(split.path);
      if (!count) {
        count = { path: split.path, entries: 0, tagMarks: 0, clearMarks: 0 };
        counts.set(split.path, count);
      }
      count[KINDS[split.kind]]++;
    }
    return undefined;
  });
  return [...counts.values()].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/** True if any key of this exact namespace path (or a child of it) is in Redis. */
export async function spaceExists(admin: Admin, path: string): Promise<boolean> {
  let found = false;
  await scanKeys(admin, `${escapeGlob(path)}/*`, () => {
    found = true;
    return false;
  });
  return found;
}

/** The path and kind of a store key, or undefined for a key that is not cachette's. */
function splitKey(key: string): { path: string; kind: keyof typeof KINDS } | undefined {
  // a path never holds ':', so the first ':' follows the kind letter
  const colon = key.indexOf(':');
  const kind = key[colon - 1];
  if (colon < 3 || key[colon - 2] !== '/' || (kind !== 'k' && kind !== 't' && kind !== 'c')) return undefined;
  const path = key.slice(0, colon - 2);
  return PATH.test(path) ? { path, kind } : undefined;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
