import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/index.js';
import { createPageCache } from '../../src/pages.js';
import { expectPass, expectRender, req, res, setup } from './helpers.js';

describe('strict and variants (issue 8 items 9, 10)', () => {
  it('checks both where the route is made', () => {
    for (const options of [{ variants: 'lang' }, { variants: { lang: 'fr' } }, { variants: { 'a b': () => 'x' } }, { strict: 'yes' }]) {
      expect(() => createPageCache('1m', options as never)).toThrow(InvalidOptionError);
    }
  });

  it('a variant that answers no string passes the request and reports it', async () => {
    const { pages, errors } = setup({ variants: { lang: () => 42 as unknown as string } });
    expectPass(await pages.begin(req()));
    expect(errors).toHaveLength(1);
  });

  it('strict: a handler that lists the request headers keeps its page out; one that reads only the key stores it', async () => {
    const { pages } = setup({ strict: true });
    const listing = expectRender(await pages.begin(req()));
    expect(Object.keys(listing.headerView ?? {})).toContain('host');
    await listing.finish(res('x'));
    expect((await pages.begin(req())).action).toBe('render');
    const other = setup({ strict: true });
    const reading = expectRender(await other.pages.begin(req()));
    expect(reading.headerView?.host).toBe('example.com');
    await reading.finish(res('y'));
    expect((await other.pages.begin(req())).action).toBe('serve');
  });

  it('without strict, no header view: nothing is tracked', async () => {
    const { pages } = setup();
    expect(expectRender(await pages.begin(req())).headerView).toBeUndefined();
  });
});

describe('the header view strict hands to the handler', () => {
  it('answers as the request headers do, Object methods included', async () => {
    const { pages } = setup({ strict: true });
    const view = expectRender(await pages.begin(req({}, { 'X-Tenant': 'a' }))).headerView as Record<string, unknown> & object;
    expect(view['x-tenant']).toBe('a');
    expect(Object.hasOwn(view, 'host')).toBe(true);
    expect(Object.hasOwn(view as { hasOwnProperty(name: string): boolean }, 'x-tenant')).toBe(true);
  });
});
