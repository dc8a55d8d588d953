import { describe, expect, it } from 'vitest';
import { HOP_BY_HOP, headerValue, stripHopByHop } from '../../src/http/index.js';

describe('headerValue', () => {
  it('looks names up case-insensitively', () => {
    expect(headerValue({ 'Cache-Control': 'no-store' }, 'cache-control')).toBe('no-store');
    expect(headerValue({ etag: '"a"' }, 'ETag')).toBe('"a"');
  });

  it('joins arrays with ", " and stringifies numbers', () => {
    expect(headerValue({ vary: ['Accept', 'Cookie'] }, 'Vary')).toBe('Accept, Cookie');
    expect(headerValue({ 'content-length': 42 }, 'content-length')).toBe('42');
  });

  it('combines keys that differ only in case, in insertion order', () => {
    expect(headerValue({ Vary: 'Accept', vary: ['Cookie'], VARY: undefined }, 'vary')).toBe('Accept, Cookie');
  });

  it('tells absent from empty', () => {
    expect(headerValue({}, 'vary')).toBeUndefined();
    expect(headerValue({ vary: undefined }, 'vary')).toBeUndefined();
    expect(headerValue({ vary: [] }, 'vary')).toBeUndefined();
    expect(headerValue({ vary: '' }, 'vary')).toBe('');
  });

  it('ignores inherited properties', () => {
    const headers = Object.create({ vary: 'Cookie' }) as Record<string, string>;
    expect(headerValue(headers, 'vary')).toBeUndefined();
    expect(headerValue({}, 'constructor')).toBeUndefined();
    expect(headerValue({}, '__proto__')).toBeUndefined();
  });
});

describe('stripHopByHop', () => {
  it('lists the RFC 9110 §7.6.1 fields', () => {
    expect([...HOP_BY_HOP].sort()).toEqual([
      'connection',
      'keep-alive',
      'proxy-authenticate',
      'proxy-authorization',
      'proxy-connection',
      'te',
      'trailer',
      'transfer-encoding',
      'upgrade',
    ]);
    expect(Object.isFrozen(HOP_BY_HOP)).toBe(true);
  });

  it('removes hop-by-hop fields and lower-cases names', () => {
    const out = stripHopByHop({
      Connection: 'keep-alive',
      'Keep-Alive': 'timeout=5',
      'Transfer-Encoding': 'chunked',
      TE: 'trailers',
      Upgrade: 'h2c',
      'Content-Type': 'text/html',
      'Content-Length': 12,
      'Set-Cookie': ['a=1', 'b=2'],
    });
    expect({ ...out }).toEqual({ 'content-type': 'text/html', 'content-length': '12', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('removes the fields nominated by Connection, in any case', () => {
    const out = stripHopByHop({ connection: ['close, X-Trace', 'x-debug'], 'x-trace': '1', 'X-Debug': '2', etag: '"a"' });
    expect({ ...out }).toEqual({ etag: '"a"' });
  });

  it('removes extra names case-insensitively', () => {
    const out = stripHopByHop({ 'Set-Cookie': 'a=1', Age: '3', Date: 'x' }, ['set-cookie', 'AGE']);
    expect({ ...out }).toEqual({ date: 'x' });
  });

  it('returns a copy, merges case-duplicates and drops undefined', () => {
    const cookies = ['a=1'];
    const input = { 'set-cookie': cookies, 'Set-Cookie': 'b=2', vary: undefined };
    const out = stripHopByHop(input);
    expect({ ...out }).toEqual({ 'set-cookie': ['a=1', 'b=2'] });
    expect(out['set-cookie']).not.toBe(cookies);
    expect(cookies).toEqual(['a=1']);
    expect(input['Set-Cookie']).toBe('b=2');
  });

  it('is safe with a __proto__ header name', () => {
    const input = JSON.parse('{"__proto__": "x", "a": "1"}') as Record<string, string>;
    const out = stripHopByHop(input);
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('x');
  });
});
