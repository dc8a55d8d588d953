import { describe, expect, it } from 'vitest';
import { expectServe, isStored, renderThrough, req, res, setup } from './helpers.js';

describe('a malformed or repeated Age (RFC 9111 §5.1): the first valid value, or none', () => {
  it.each([
    ['a non-numeric Age', 'abc'],
    ['a negative Age', '-7200'],
    ['a float Age', '7200.0'],
  ])('%s is ignored: the page is stored as if it had none', async (_name, age) => {
    const { pages } = setup();
    expect(await isStored(pages, res('x', { 'cache-control': 'max-age=3600', age }))).toBe(true);
    expect(expectServe(await pages.begin(req())).headers.age).toBe('0');
  });

  it('a list keeps its first value: `0, 7200` is fresh, `7200, 0` is not', async () => {
    const fresh = setup();
    expect(await isStored(fresh.pages, res('x', { 'cache-control': 'max-age=3600', age: '0, 7200' }))).toBe(true);
    const old = setup();
    expect(await isStored(old.pages, res('x', { 'cache-control': 'max-age=3600', age: '7200, 0' }))).toBe(false);
  });

  it('repeated lines keep the first', async () => {
    const { pages } = setup();
    await renderThrough(pages, req(), res('x', { 'cache-control': 'max-age=3600', age: ['5', '7200'] }));
    expect(expectServe(await pages.begin(req())).headers.age).toBe('5');
  });
});
