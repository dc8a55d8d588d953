import { describe, expect, it } from 'vitest';
import { createCache, InvalidOptionError } from '../../src/index.js';
import { createPageCache, defaultPageCache } from '../../src/pages.js';

describe('createPageCache: configuration', () => {
  it.each([
    ['soon', {}, 'E_INVALID_DURATION'],
    [0, {}, 'E_INVALID_DURATION'],
    [-5, {}, 'E_INVALID_DURATION'],
    ['1m', { statuses: { 500: '1m' } }, 'E_INVALID_OPTION'],
    ['1m', { statuses: { 503: '1m' } }, 'E_INVALID_OPTION'],
    ['1m', { statuses: { 206: '1m' } }, 'E_INVALID_OPTION'],
    ['1m', { statuses: { 304: '1m' } }, 'E_INVALID_OPTION'],
    ['1m', { statuses: { 100: '1m' } }, 'E_INVALID_OPTION'],
    ['1m', { statuses: { '200.5': '1m' } }, 'E_INVALID_OPTION'],
    ['1m', { statuses: { abc: '1m' } }, 'E_INVALID_OPTION'],
    ['1m', { statuses: {} }, 'E_INVALID_OPTION'],
    ['1m', { statuses: { 200: 'forever' } }, 'E_INVALID_DURATION'],
    ['1m', { statuses: { 404: 0 } }, 'E_INVALID_DURATION'],
    ['1m', { hosts: [] }, 'E_INVALID_OPTION'],
    ['1m', { hosts: ['example.com:8080'] }, 'E_INVALID_OPTION'],
    ['1m', { hosts: ['exa mple.com'] }, 'E_INVALID_OPTION'],
    ['1m', { hosts: [42] }, 'E_INVALID_OPTION'],
    ['1m', { cacheStatus: 'has space' }, 'E_INVALID_OPTION'],
    ['1m', { cacheStatus: '1abc' }, 'E_INVALID_OPTION'],
    ['1m', { cacheStatus: 'a;hit' }, 'E_INVALID_OPTION'],
    ['1m', { maxBodyBytes: 0 }, 'E_INVALID_OPTION'],
    ['1m', { maxBodyBytes: 'big' }, 'E_INVALID_OPTION'],
    ['1m', { keyPrefix: 'has space' }, 'E_INVALID_OPTION'],
    ['1m', { keyPrefix: 'x'.repeat(65) }, 'E_INVALID_OPTION'],
    ['1m', { keyPrefix: 'new\nline' }, 'E_INVALID_OPTION'],
    ['1m', { lockTimeout: 'a while' }, 'E_INVALID_DURATION'],
    ['1m', { staleWhileRevalidate: -1 }, 'E_INVALID_DURATION'],
    ['1m', { staleIfError: 'x' }, 'E_INVALID_DURATION'],
    ['1m', { varyHeaders: ['*'] }, 'E_INVALID_OPTION'],
    ['1m', { varyHeaders: ['Accept Language'] }, 'E_INVALID_OPTION'],
    ['1m', { varyCookies: ['a;b'] }, 'E_INVALID_OPTION'],
    ['1m', { tags: [''] }, 'E_INVALID_OPTION'],
    ['1m', { tags: 'products' }, 'E_INVALID_OPTION'],
    ['1m', { trustProxy: 'yes' }, 'E_INVALID_OPTION'],
    ['1m', { cache: {} }, 'E_INVALID_OPTION'],
    ['1m', { onError: 'log' }, 'E_INVALID_OPTION'],
    ['1m', { clock: { now: () => 1 } }, 'E_INVALID_OPTION'],
  ])('createPageCache(%j, %j) throws %s', (ttl, options, code) => {
    expect(() => createPageCache(ttl as never, options as never)).toThrow(expect.objectContaining({ code, name: 'InvalidOptionError' }));
  });

  it('prefixes messages with the package and names the option', () => {
    expect(() => createPageCache('1m', { statuses: { 502: '1m' } })).toThrow(/^\[cachette:core\] statuses: "502"/);
    expect(() => createPageCache('1m', { cacheStatus: 'a b' })).toThrow(InvalidOptionError);
  });

  it('accepts a full, valid configuration and returns a frozen object', () => {
    const options = {
      cache: createCache(),
      keyPrefix: 'site-1',
      statuses: { 200: '15m', 301: '1h', 404: '30s' },
      staleWhileRevalidate: '1m',
      staleIfError: '1h',
      tags: ['products'],
      hosts: ['.example.com', 'example.org', '*'],
      trustProxy: true,
      cacheStatus: 'cachette',
      maxBodyBytes: '512kb',
      lockTimeout: '2s',
      onError: () => undefined,
      varyHeaders: ['Accept-Language'],
      varyCookies: ['lang'],
      sortQuery: true,
    };
    const copy = structuredClone({ ...options, cache: undefined, onError: undefined });
    const pages = createPageCache('15m', options);
    expect(Object.isFrozen(pages)).toBe(true);
    expect(typeof pages.begin).toBe('function');
    // the caller's object is not touched
    expect({ ...options, cache: undefined, onError: undefined }).toEqual(copy);
  });

  it('uses one lazily made default cache for pages', () => {
    expect(defaultPageCache()).toBe(defaultPageCache());
    expect(() => createPageCache('1m')).not.toThrow();
  });
});
