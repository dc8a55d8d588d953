import { describe, expect, it } from 'vitest';
import { expectRender, renderThrough, req, res, setup, text } from './helpers.js';

const ask = (lang: string, device?: string) =>
  req({}, device === undefined ? { 'accept-language': lang } : { 'accept-language': lang, 'x-device': device });

describe('a URL whose Vary list changes (issue 8 item 2)', () => {
  it('two renders racing with different Vary lists: the list keeps every name, no variant answers another value', async () => {
    const { pages } = setup();
    await renderThrough(pages, ask('en'), res('en', { vary: 'Accept-Language' }));
    // both looked up under [accept-language]; they finish in turn
    const fr = expectRender(await pages.begin(ask('fr', 'mobile')));
    const de = expectRender(await pages.begin(ask('de', 'desktop')));
    await fr.finish(res('fr-mobile', { vary: 'Accept-Language, X-Device' }));
    await de.finish(res('de', {}));
    expect((await pages.begin(ask('de', 'mobile'))).action).toBe('render');
    const same = await pages.begin(ask('de', 'desktop'));
    expect(same.action === 'serve' && text(same.response)).toBe('de');
    const mobile = await pages.begin(ask('fr', 'mobile'));
    expect(mobile.action === 'serve' && text(mobile.response)).toBe('fr-mobile');
  });

  it('a response that stops saying Vary never answers for another value of the header its URL varied on', async () => {
    const { pages } = setup();
    await renderThrough(pages, ask('en'), res('en', { vary: 'Accept-Language' }));
    await renderThrough(pages, ask('fr'), res('fr', {}));
    expect((await pages.begin(ask('de'))).action).toBe('render');
    const en = await pages.begin(ask('en'));
    expect(en.action === 'serve' && text(en.response)).toBe('en');
  });
});
