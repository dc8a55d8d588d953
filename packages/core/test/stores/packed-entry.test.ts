import { describe, expect, it } from 'vitest';
import { type CacheStore, createCache } from '../../src/index.js';

/** A shared store that keeps bytes as they are, as Redis does (`binary: true`). */
function bytesStore(): CacheStore & { raw: Map<string, unknown> } {
  const raw = new Map<string, unknown>();
  return {
    raw,
    name: 'bytes',
    shared: true,
    binary: true,
    get: (key) => raw.get(key),
    set: (key, value) => void raw.set(key, Buffer.isBuffer(value) ? Buffer.from(value) : JSON.parse(JSON.stringify(value))),
    delete: (key) => raw.delete(key),
  };
}

describe('packed entries (stores that keep bytes)', () => {
  it('keeps long strings as their UTF-8 bytes after the JSON header, and reads them back', async () => {
    const store = bytesStore();
    const cache = createCache({ tiers: [{ store }] });
    const value = { title: 'short', body: 'ü✓🙂'.repeat(400), list: ['z'.repeat(600)], lone: '\ud800'.repeat(600) };
    await cache.set('page', value, { tags: ['t'] });
    const bytes = [...store.raw.values()][0] as Buffer;
    expect(bytes[0]).toBe(0);
    const text = bytes.toString();
    // the long well-formed strings follow the header raw; the lone surrogates stay escaped in it
    expect(text.endsWith(`${'ü✓🙂'.repeat(400)}${'z'.repeat(600)}`)).toBe(true);
    expect(text).toContain('\\ud800');
    expect(await cache.get('page')).toEqual(value);
  });

  it('a truncated packed entry is reported corrupt, dropped, and read as a miss', async () => {
    const store = bytesStore();
    const cache = createCache({ tiers: [{ store }] });
    const errors: string[] = [];
    cache.on('error', ({ error }) => errors.push((error as { code?: string }).code ?? ''));
    await cache.set('k', { body: 'x'.repeat(1_000) });
    const [key, bytes] = [...store.raw][0] as [string, Buffer];
    store.raw.set(key, bytes.subarray(0, bytes.length - 10));
    expect(await cache.get('k')).toBeUndefined();
    expect(errors).toContain('E_CORRUPT_ENTRY');
    expect(store.raw.has(key)).toBe(false);
  });

  it('reads entries a JSON store wrote before (plain JSON text)', async () => {
    const store = bytesStore();
    const cache = createCache({ tiers: [{ store }] });
    await cache.set('k', 'v');
    const [key] = [...store.raw.keys()] as [string];
    const now = Date.now();
    store.raw.set(key, JSON.stringify({ v: { at: { $t: 'D', v: 0 } }, c: now, f: now + 60_000, s: now + 60_000, e: now + 60_000 }));
    expect(await cache.get('k')).toEqual({ at: new Date(0) });
  });

  it('marks a packed entry whose long strings are all ASCII (`a: 1`, read without UTF-8 decoding); readers that predate the mark read it alike', async () => {
    const store = bytesStore();
    const cache = createCache({ tiers: [{ store }] });
    const ascii = { body: 'x'.repeat(20_000), list: ['<p>'.repeat(300)] };
    const mixed = { body: 'x'.repeat(1_000), other: 'é'.repeat(600) };
    await cache.set('ascii', ascii);
    await cache.set('mixed', mixed);
    const header = (key: string) => {
      const bytes = [...store.raw].find(([k]) => k.endsWith(`k:${key}`))?.[1] as Buffer;
      return { bytes, header: JSON.parse(bytes.toString('utf8', 1, bytes.indexOf(0x0a, 1))) as Record<string, unknown> };
    };
    expect(header('ascii').header.a).toBe(1);
    expect(header('mixed').header).not.toHaveProperty('a');
    expect(await cache.get('ascii')).toEqual(ascii);
    expect(await cache.get('mixed')).toEqual(mixed);
    // the same entry without the mark (as an older writer made it) reads the same
    const { bytes, header: old } = header('ascii');
    const { a: _mark, ...rest } = old;
    const text = JSON.stringify(rest);
    const body = bytes.subarray(bytes.indexOf(0x0a, 1));
    const [key] = [...store.raw].find(([k]) => k.endsWith('k:ascii')) as [string, unknown];
    store.raw.set(key, Buffer.concat([Buffer.from([0]), Buffer.from(text), body]));
    expect(await cache.get('ascii')).toEqual(ascii);
  });
});
