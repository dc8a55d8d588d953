import { describe, expect, it } from 'vitest';
import { isNotModified, notModifiedHeaders, type RawHeaders } from '../../src/http/index.js';

const LAST_MODIFIED = Date.UTC(2024, 0, 15, 12, 0, 0);
const AT_LAST_MODIFIED = 'Mon, 15 Jan 2024 12:00:00 GMT';
const BEFORE = 'Mon, 15 Jan 2024 11:59:59 GMT';
const get = (headers: RawHeaders, method = 'GET') => ({ method, headers });

describe('isNotModified', () => {
  it('matches If-None-Match with weak comparison (RFC 9110 §13.1.2)', () => {
    const validators = { etag: '"v1"' };
    expect(isNotModified(get({ 'If-None-Match': '"v1"' }), validators)).toBe(true);
    expect(isNotModified(get({ 'if-none-match': 'W/"v1"' }), validators)).toBe(true);
    expect(isNotModified(get({ 'if-none-match': '"v0", "v1"' }), validators)).toBe(true);
    expect(isNotModified(get({ 'if-none-match': ['"v0"', 'W/"v1"'] }), validators)).toBe(true);
    expect(isNotModified(get({ 'if-none-match': '"v1"' }), { etag: 'W/"v1"' })).toBe(true);
    expect(isNotModified(get({ 'if-none-match': '"v2"' }), validators)).toBe(false);
    expect(isNotModified(get({ 'if-none-match': 'v1' }), validators)).toBe(false);
  });

  it('matches * only when the response has a valid ETag', () => {
    expect(isNotModified(get({ 'if-none-match': '*' }), { etag: '"x"' })).toBe(true);
    expect(isNotModified(get({ 'if-none-match': '*' }), { lastModified: LAST_MODIFIED })).toBe(false);
    expect(isNotModified(get({ 'if-none-match': '*' }), { etag: 'broken' })).toBe(false);
    expect(isNotModified(get({ 'if-none-match': '"a", *' }), { etag: '"x"' })).toBe(false);
  });

  it('answers only GET and HEAD, case-sensitively (RFC 9110 §9.1)', () => {
    const headers = { 'if-none-match': '"v1"' };
    expect(isNotModified(get(headers, 'HEAD'), { etag: '"v1"' })).toBe(true);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'get', 'head']) {
      expect(isNotModified(get(headers, method), { etag: '"v1"' }), method).toBe(false);
    }
  });

  it('ignores If-Modified-Since when If-None-Match is present (RFC 9110 §13.1.3)', () => {
    const validators = { etag: '"v1"', lastModified: LAST_MODIFIED };
    expect(isNotModified(get({ 'if-none-match': '"v2"', 'if-modified-since': AT_LAST_MODIFIED }), validators)).toBe(false);
    expect(isNotModified(get({ 'if-none-match': 'garbage', 'if-modified-since': AT_LAST_MODIFIED }), validators)).toBe(false);
    expect(isNotModified(get({ 'if-none-match': '', 'if-modified-since': AT_LAST_MODIFIED }), validators)).toBe(false);
    expect(isNotModified(get({ 'if-none-match': '"v1"', 'if-modified-since': BEFORE }), validators)).toBe(true);
  });

  it('compares If-Modified-Since to the second', () => {
    expect(isNotModified(get({ 'if-modified-since': AT_LAST_MODIFIED }), { lastModified: LAST_MODIFIED })).toBe(true);
    expect(isNotModified(get({ 'if-modified-since': AT_LAST_MODIFIED }), { lastModified: LAST_MODIFIED + 999 })).toBe(true);
    expect(isNotModified(get({ 'if-modified-since': AT_LAST_MODIFIED }), { lastModified: LAST_MODIFIED + 1000 })).toBe(false);
    expect(isNotModified(get({ 'If-Modified-Since': BEFORE }), { lastModified: LAST_MODIFIED })).toBe(false);
    expect(isNotModified(get({ 'if-modified-since': 'Monday, 15-Jan-24 12:00:00 GMT' }), { lastModified: LAST_MODIFIED })).toBe(true);
  });

  it('ignores an invalid or repeated If-Modified-Since, and a missing Last-Modified', () => {
    const validators = { lastModified: LAST_MODIFIED };
    expect(isNotModified(get({ 'if-modified-since': 'yesterday' }), validators)).toBe(false);
    expect(isNotModified(get({ 'if-modified-since': [AT_LAST_MODIFIED, AT_LAST_MODIFIED] }), validators)).toBe(false);
    expect(isNotModified(get({ 'if-modified-since': AT_LAST_MODIFIED }), {})).toBe(false);
    expect(isNotModified(get({ 'if-modified-since': AT_LAST_MODIFIED }), { lastModified: Number.NaN })).toBe(false);
    expect(isNotModified(get({}), { etag: '"v1"', lastModified: LAST_MODIFIED })).toBe(false);
  });
});

describe('notModifiedHeaders', () => {
  it('keeps only what a 304 carries (RFC 9110 §15.4.5), lower-cased', () => {
    const stored = {
      'Cache-Control': 'max-age=60',
      'Content-Location': '/a',
      Date: 'Mon, 15 Jan 2024 12:00:00 GMT',
      ETag: '"v1"',
      Expires: 'Mon, 15 Jan 2024 12:01:00 GMT',
      'Last-Modified': AT_LAST_MODIFIED,
      Vary: ['Accept', 'Cookie'],
      'Content-Type': 'text/html',
      'Content-Length': '1234',
      'Set-Cookie': ['a=1'],
      'Content-Encoding': 'gzip',
    };
    expect({ ...notModifiedHeaders(stored) }).toEqual({
      'cache-control': 'max-age=60',
      'content-location': '/a',
      date: 'Mon, 15 Jan 2024 12:00:00 GMT',
      etag: '"v1"',
      expires: 'Mon, 15 Jan 2024 12:01:00 GMT',
      'last-modified': AT_LAST_MODIFIED,
      vary: ['Accept', 'Cookie'],
    });
    expect(notModifiedHeaders(stored).vary).not.toBe(stored.Vary);
  });

  it('merges names that differ only in case', () => {
    expect({ ...notModifiedHeaders({ Vary: 'Accept', vary: 'Cookie' }) }).toEqual({ vary: ['Accept', 'Cookie'] });
    expect({ ...notModifiedHeaders({}) }).toEqual({});
  });
});
