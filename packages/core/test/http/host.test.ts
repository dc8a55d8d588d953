import { describe, expect, it } from 'vitest';
import { isValidHost, matchesAllowedHost, splitHostPort } from '../../src/http/index.js';

describe('isValidHost', () => {
  it('accepts names, IPv4 and [IPv6], with an optional port', () => {
    for (const host of [
      'example.com',
      'EXAMPLE.com',
      'example.com.',
      'a-b.c',
      'localhost:8000',
      '127.0.0.1',
      '10.0.0.1:80',
      '[::1]',
      '[::1]:8080',
      '[2001:db8::ff00:42:8329]',
      '[::ffff:192.0.2.1]:443',
      'x:65535',
    ]) {
      expect(isValidHost(host), host).toBe(true);
    }
  });

  it('rejects anything that could smuggle another host or path', () => {
    for (const host of [
      '',
      ' ',
      'example.com ',
      ' example.com',
      'exa mple.com',
      'user@example.com',
      'example.com/path',
      'example.com\\x',
      'example.com\r\nX: y',
      'exa\u0000mple.com',
      'example.com:',
      'example.com:port',
      'example.com:65536',
      'example.com:123456',
      'example.com:80:80',
      '[::1',
      '::1',
      '[g::1]',
      'exa_mple.com',
      'exämple.com',
      '.',
      'example.com#x',
      'example.com?x',
      `${'a'.repeat(300)}.com`,
    ]) {
      expect(isValidHost(host), JSON.stringify(host)).toBe(false);
    }
  });
});

describe('splitHostPort', () => {
  it('lower-cases, drops one trailing dot and parses the port', () => {
    expect(splitHostPort('Example.COM.:8080')).toEqual({ hostname: 'example.com', port: 8080 });
    expect(splitHostPort('example.com')).toEqual({ hostname: 'example.com', port: undefined });
    expect(splitHostPort('[::1]:443')).toEqual({ hostname: '[::1]', port: 443 });
    expect(splitHostPort('[::1]')).toEqual({ hostname: '[::1]', port: undefined });
    expect(splitHostPort('host:0080')).toEqual({ hostname: 'host', port: 80 });
    expect(splitHostPort('bad host')).toBeUndefined();
  });
});

describe('matchesAllowedHost (Django ALLOWED_HOSTS)', () => {
  it('matches exact names case-insensitively, ignoring port and trailing dot', () => {
    const allowed = ['www.example.com', 'Other.Example.'];
    expect(matchesAllowedHost('www.example.com', allowed)).toBe(true);
    expect(matchesAllowedHost('WWW.Example.com:8443', allowed)).toBe(true);
    expect(matchesAllowedHost('www.example.com.', allowed)).toBe(true);
    expect(matchesAllowedHost('other.example', allowed)).toBe(true);
    expect(matchesAllowedHost('example.com', allowed)).toBe(false);
    expect(matchesAllowedHost('sub.www.example.com', allowed)).toBe(false);
  });

  it('lets a leading dot match the domain and its subdomains only', () => {
    const allowed = ['.example.com'];
    expect(matchesAllowedHost('example.com', allowed)).toBe(true);
    expect(matchesAllowedHost('a.b.example.com:80', allowed)).toBe(true);
    expect(matchesAllowedHost('badexample.com', allowed)).toBe(false);
    expect(matchesAllowedHost('example.com.evil.net', allowed)).toBe(false);
    expect(matchesAllowedHost('example.co', allowed)).toBe(false);
  });

  it('lets * match any valid host, but never an invalid one', () => {
    expect(matchesAllowedHost('anything.test', ['*'])).toBe(true);
    expect(matchesAllowedHost('[::1]:3000', ['*'])).toBe(true);
    expect(matchesAllowedHost('evil.com/x', ['*'])).toBe(false);
    expect(matchesAllowedHost('', ['*'])).toBe(false);
  });

  it('matches nothing with no patterns, empty patterns or patterns with a port', () => {
    expect(matchesAllowedHost('example.com', [])).toBe(false);
    expect(matchesAllowedHost('example.com', ['', '.'])).toBe(false);
    expect(matchesAllowedHost('example.com:80', ['example.com:80'])).toBe(false);
    expect(matchesAllowedHost('[::1]:8000', ['[::1]'])).toBe(true);
    expect(matchesAllowedHost('*', ['*'])).toBe(false);
  });

  it('rejects what is not a hostname: empty labels, "..", hyphens at a label end, bad IPv6 (issue 8 item 13)', () => {
    for (const host of [
      'a..example.com',
      '.example.com',
      'example..com:80',
      '-a.example.com',
      'a-.example.com',
      '..',
      '.',
      '[zz::1]',
      '[::1',
      `${'a'.repeat(64)}.com`,
    ]) {
      expect(isValidHost(host), host).toBe(false);
    }
    for (const host of ['example.com.', 'a-b.example.com:8080', '10.0.0.1', '[::1]:3000', '[2001:db8::1]', 'localhost']) {
      expect(isValidHost(host), host).toBe(true);
    }
  });
});
