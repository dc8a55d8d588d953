import { describe, expect, it } from 'vitest';
import { renderThrough, req, res, setup, text } from './helpers.js';

describe('expireByTag on pages: a soft purge (issue 8 item 7)', () => {
  it('serves the page stale (one background refresh), never a must-revalidate one', async () => {
    const { pages, cache } = setup({ tags: ['t'] });
    const local = { address: '127.0.0.1', port: 9 };
    await renderThrough(pages, req({ url: '/a' }), res('a'));
    await renderThrough(pages, req({ url: '/strict' }), res('strict', { 'cache-control': 'max-age=60, must-revalidate' }));
    await cache.expireByTag('t');
    const stale = await pages.begin(req({ url: '/a', local }));
    expect(stale.action === 'serve' && text(stale.response)).toBe('a');
    expect((await pages.begin(req({ url: '/strict', local }))).action).toBe('render');
  });

  it('a page no tag touched stays fresh', async () => {
    const { pages, cache } = setup({ tags: (r) => (r.url === '/a' ? ['a'] : ['b']) });
    await renderThrough(pages, req({ url: '/a' }), res('a'));
    await renderThrough(pages, req({ url: '/b' }), res('b'));
    await cache.expireByTag('a');
    const b = await pages.begin(req({ url: '/b' }));
    expect(b.action).toBe('serve');
    // without a local address there is no background refresh: the stale page is a miss
    expect((await pages.begin(req({ url: '/a' }))).action).toBe('render');
  });
});
