import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declaredCookies, encodeKeyParts, type PageKeyParts, pageKey, resolveTarget, sortQuery, urlTag } from '../../src/pages.js';

const value = fc.option(fc.string({ unit: 'binary', maxLength: 20 }), { nil: null });
const pairs = fc.array(fc.tuple(fc.string({ maxLength: 8 }), value), { maxLength: 5 });
const parts = fc.record({
  keyPrefix: fc.string({ maxLength: 10 }),
  scheme: fc.constantFrom('http', 'https'),
  host: fc.string({ maxLength: 20 }),
  path: fc.string({ unit: 'binary', maxLength: 40 }),
  headers: pairs,
  cookies: pairs,
}) as fc.Arbitrary<PageKeyParts>;

const base: PageKeyParts = { keyPrefix: '', scheme: 'https', host: 'example.com', path: '/', headers: [], cookies: [] };

describe('page keys', () => {
  it('encode parts injectively: equal encodings only for equal parts', () => {
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const ea = encodeKeyParts('p', [a.keyPrefix, a.scheme, a.host, a.path, a.headers, a.cookies]);
        const eb = encodeKeyParts('p', [b.keyPrefix, b.scheme, b.host, b.path, b.headers, b.cookies]);
        expect(ea === eb).toBe(JSON.stringify(a) === JSON.stringify(b));
        expect(JSON.parse(ea).slice(2)).toEqual([a.keyPrefix, a.scheme, a.host, a.path, a.headers, a.cookies]);
      }),
      { numRuns: 500 },
    );
  });

  it('distinct header value lists give distinct keys', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), fc.array(value, { maxLength: 4 }), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        const key = (values: (string | null)[]) => pageKey({ ...base, headers: values.map((v, i) => [`h${i}`, v] as const) });
        expect(key(a)).not.toBe(key(b));
      }),
      { numRuns: 500 },
    );
  });

  it('tells absent from empty, and never joins values ambiguously', () => {
    const key = (headers: PageKeyParts['headers']) => pageKey({ ...base, headers });
    expect(key([['accept', null]])).not.toBe(key([['accept', '']]));
    expect(
      key([
        ['a', 'ab'],
        ['b', ''],
      ]),
    ).not.toBe(
      key([
        ['a', 'a'],
        ['b', 'b'],
      ]),
    );
    expect(key([['a', 'x, y']])).not.toBe(
      key([
        ['a', 'x'],
        ['a', 'y'],
      ]),
    );
    expect(pageKey({ ...base, cookies: [['sid', null]] })).not.toBe(pageKey({ ...base, cookies: [['sid', '']] }));
    expect(pageKey({ ...base, host: 'a.com' })).not.toBe(pageKey({ ...base, host: 'b.com' }));
    expect(pageKey({ ...base, scheme: 'http' })).not.toBe(pageKey(base));
    expect(pageKey({ ...base, keyPrefix: 'x' })).not.toBe(pageKey(base));
  });

  it('is short, printable ASCII without spaces or control characters (memcached-safe)', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const key = pageKey(p);
        expect(Buffer.byteLength(key)).toBeLessThanOrEqual(250);
        expect(key).toMatch(/^[!-~]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it('gives one URL tag to every spelling of a URL, whatever the scheme', () => {
    expect(urlTag('', 'example.com', '/a/../b?y=2&x=1')).toBe(urlTag('', 'example.com', '/b?x=1&y=2'));
    expect(urlTag('', 'example.com', '/b')).not.toBe(urlTag('', 'example.org', '/b'));
    expect(urlTag('', 'example.com', '/b')).not.toBe(urlTag('p', 'example.com', '/b'));
  });
});

describe('resolveTarget', () => {
  const opts = { trustProxy: false, hosts: undefined, sortQuery: false };
  const target = (url: string, headers: Record<string, string | string[]>, more: Partial<typeof opts> = {}, secure = false) =>
    resolveTarget({ url, headers, secure }, { ...opts, ...more });

  it('normalises the host: lower case, no trailing dot, no default port', () => {
    expect(target('/a', { host: 'Example.COM.:80' })).toEqual({ scheme: 'http', host: 'example.com', path: '/a' });
    expect(target('/a', { host: 'example.com:443' }, {}, true)).toEqual({ scheme: 'https', host: 'example.com', path: '/a' });
    expect(target('/a', { host: 'example.com:8080' })?.host).toBe('example.com:8080');
    expect(target('/a', { host: '[::1]:8080' })?.host).toBe('[::1]:8080');
  });

  it.each([
    ['http://evil.com/a', 'absolute-form'],
    ['//evil.com/a', 'scheme-relative'],
    ['/\\evil.com', 'backslash'],
    ['*', 'asterisk-form'],
    ['a', 'no slash'],
    ['/a b', 'space'],
    ['/a#frag', 'fragment'],
    ['/caf\u00e9', 'non-ASCII'],
    [`/${'a'.repeat(9000)}`, 'too long'],
  ])('rejects %j (%s)', (url) => {
    expect(target(url, { host: 'example.com' })).toBeUndefined();
  });

  it.each([[undefined], ['evil.com/x'], ['a b'], ['example.com, evil.com'], ['user@example.com'], ['']])('rejects Host %j', (host) => {
    expect(target('/', host === undefined ? {} : { host })).toBeUndefined();
  });

  it('rejects two different authorities (HTTP/2)', () => {
    expect(target('/', { host: 'a.com', ':authority': 'b.com' })).toBeUndefined();
    expect(target('/', { ':authority': 'b.com' })?.host).toBe('b.com');
  });

  it('only allows the configured hosts', () => {
    expect(target('/', { host: 'evil.com' }, { hosts: ['.example.com'] })).toBeUndefined();
    expect(target('/', { host: 'www.example.com' }, { hosts: ['.example.com'] })?.host).toBe('www.example.com');
  });

  it('reads X-Forwarded-Host/-Proto (first value) only with trustProxy', () => {
    const headers = { host: 'internal:3000', 'x-forwarded-host': 'shop.example.com, proxy.local', 'x-forwarded-proto': 'HTTPS, http' };
    expect(target('/', headers)).toEqual({ scheme: 'http', host: 'internal:3000', path: '/' });
    expect(target('/', headers, { trustProxy: true })).toEqual({ scheme: 'https', host: 'shop.example.com', path: '/' });
    expect(target('/', { ...headers, 'x-forwarded-proto': 'gopher' }, { trustProxy: true })).toBeUndefined();
    expect(target('/', { ...headers, 'x-forwarded-host': 'evil.com' }, { trustProxy: true, hosts: ['.example.com'] })).toBeUndefined();
  });

  it('sorts the query by name with sortQuery, keeping repeated names in order', () => {
    expect(sortQuery('/p?b=2&a=1&b=1')).toBe('/p?a=1&b=2&b=1');
    expect(target('/p?b=2&a=1', { host: 'x.com' }, { sortQuery: true })?.path).toBe('/p?a=1&b=2');
    expect(target('/p?b=2&a=1', { host: 'x.com' })?.path).toBe('/p?b=2&a=1');
  });
});

describe('declaredCookies', () => {
  it('reads declared cookies, absent ones as null', () => {
    expect(declaredCookies({ Cookie: 'lang=fr' }, ['lang', 'theme'])).toEqual({
      pairs: [
        ['lang', 'fr'],
        ['theme', null],
      ],
      header: 'lang=fr',
    });
    expect(declaredCookies({}, ['lang'])).toEqual({ pairs: [['lang', null]], header: undefined });
    expect(declaredCookies({ cookie: ['lang=fr', 'theme=""'] }, ['lang', 'theme'])?.pairs).toEqual([
      ['lang', 'fr'],
      ['theme', ''],
    ]);
  });

  it.each([['sid=1'], ['lang=fr; sid=1'], ['lang'], ['lang=fr; lang=de'], ['=x']])('refuses %j when only lang is declared', (cookie) => {
    expect(declaredCookies({ cookie }, ['lang'])).toBeUndefined();
  });
});
