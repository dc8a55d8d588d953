import { describe, expect, it } from 'vitest';
import { encodeEntry } from '../../src/cache/serializer.js';
import { prepareRecord, readyHit, readyPageOf } from '../../src/page/ready-page.js';
import type { PageRecord } from '../../src/page/record.js';

const record = (): PageRecord => ({
  status: 200,
  headers: { 'content-type': 'text/plain', link: ['</a>', '</b>'] },
  body: new TextEncoder().encode('page'),
  storedAt: 10_000,
  initialAge: 0,
  freshUntil: 70_000,
  staleUntil: 70_000,
  staleIfErrorUntil: 70_000,
  shared: false,
});

describe('readyHit: the fields of a hit (issue 7)', () => {
  it('are one frozen list for every hit of the same second: nothing copied per hit, nothing a caller can change for the next', () => {
    const page = record();
    const first = readyHit(page, 12_100, 'cachette', false);
    const second = readyHit(page, 12_900, 'cachette', true);
    expect(second.rawHeaders).toBe(first.rawHeaders);
    expect(Object.isFrozen(first.rawHeaders)).toBe(true);
    expect(() => (first.rawHeaders as string[]).push('set-cookie', 'sid=1')).toThrow(TypeError);
    expect(second.headers).toMatchObject({ age: '2', 'cache-status': 'cachette; hit; ttl=57', link: ['</a>', '</b>'] });
    expect(second.body.byteLength).toBe(0);
    // its headers object is the response's own: a change to it stays there
    (first.headers as Record<string, string>)['x-mine'] = '1';
    expect(readyHit(page, 12_500, 'cachette', false).headers['x-mine']).toBeUndefined();
  });

  it('are made again when Age, the Cache-Status ttl or its name changes', () => {
    const page = record();
    const at = (now: number, name: string | undefined) => readyHit(page, now, name, false).rawHeaders;
    expect(at(12_000, 'cachette').slice(-4)).toEqual(['age', '2', 'cache-status', 'cachette; hit; ttl=58']);
    expect(at(13_000, 'cachette').slice(-4)).toEqual(['age', '3', 'cache-status', 'cachette; hit; ttl=57']);
    expect(at(13_000, 'edge').slice(-2)).toEqual(['cache-status', 'edge; hit; ttl=57']);
    expect(at(13_000, undefined).slice(-2)).toEqual(['age', '3']);
    expect(at(13_000, 'cachette').slice(-2)).toEqual(['cache-status', 'cachette; hit; ttl=57']);
  });
});

describe('prepareRecord: a stored record carries its ready response', () => {
  it('out of its data: not in its keys, its JSON or its wire form; a copy made from it gets its own', () => {
    const page = Object.freeze(prepareRecord(record()));
    expect(readyPageOf(page).record).toBe(page);
    expect(Object.keys(page)).toEqual(Object.keys(record()));
    expect(JSON.parse(JSON.stringify(page))).toEqual(JSON.parse(JSON.stringify(record())));
    expect(
      JSON.stringify(encodeEntry({ value: page, createdAt: 0, freshUntil: 1, staleUntil: 1, staleIfErrorUntil: 1, tags: [] } as never)),
    ).not.toContain('ready');
    // a revalidated copy with new headers must never send the old page's
    const copy = { ...page, headers: { 'content-type': 'text/html' } };
    expect(readyPageOf(copy).record).toBe(copy);
    expect(readyHit(copy, 12_000, undefined, false).headers['content-type']).toBe('text/html');
    expect(readyHit(page, 12_000, undefined, false).headers['content-type']).toBe('text/plain');
  });
});
