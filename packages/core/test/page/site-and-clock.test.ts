import { describe, expect, it } from 'vitest';
import { createCache, manualClock, systemClock } from '../../src/index.js';
import {
  createPageCache,
  createSitePageCache,
  markRequest,
  marksOf,
  NEVER_CACHE,
  resolveDirectives,
  varyOnNames,
} from '../../src/pages.js';
import { expectRender, expectServe, renderThrough, req, res } from './helpers.js';

describe('the clock of a page cache', () => {
  it('Cache.clock is the clock the cache was made with, shared by its namespaces', () => {
    const clock = manualClock();
    const cache = createCache({ clock });
    expect(cache.clock).toBe(clock);
    expect(cache.namespace('pages').clock).toBe(clock);
    expect(createCache().clock).toBe(systemClock);
  });

  it('a page cache reads the time from its cache, unless given a clock', async () => {
    const clock = manualClock();
    const pages = createPageCache('10s', { cache: createCache({ clock }) });
    await renderThrough(pages, req(), res('v1'));
    await clock.advance(9_000);
    expect(expectServe(await pages.begin(req())).headers.age).toBe('9');
    await clock.advance(1_001);
    expectRender(await pages.begin(req()));
  });

  it('the clock option still wins, for compatibility', async () => {
    const clock = manualClock();
    const pages = createPageCache('10s', { cache: createCache(), clock });
    await renderThrough(pages, req(), res('v1'));
    await clock.advance(5_000);
    expect(expectServe(await pages.begin(req())).headers.age).toBe('5');
  });
});

describe('createSitePageCache', () => {
  it('defaults the TTL to 10 minutes', async () => {
    const clock = manualClock();
    const pages = createSitePageCache({ cache: createCache({ clock }) });
    await renderThrough(pages, req(), res('site'));
    await clock.advance(599_000);
    expectServe(await pages.begin(req()));
    await clock.advance(1_001);
    expectRender(await pages.begin(req()));
  });

  it('checks its options as createPageCache does', () => {
    expect(() => createSitePageCache(null as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => createSitePageCache({ cache: createCache(), ttl: 'soon' })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_DURATION' }),
    );
  });
});

describe('what adapters share', () => {
  it('resolveDirectives checks directives and turns durations into whole seconds', () => {
    expect(resolveDirectives({ public: true, maxAge: '5m', sMaxAge: 1500, noStore: false, noCache: undefined })).toEqual({
      public: true,
      maxAge: 300,
      sMaxAge: 1,
      noStore: false,
    });
    expect(Object.isFrozen(resolveDirectives({}))).toBe(true);
    expect(() => resolveDirectives({ maxAge: 'soon' })).toThrow(expect.objectContaining({ code: 'E_INVALID_DURATION' }));
    expect(() => resolveDirectives({ bogus: true } as never, '@CacheControl')).toThrow(
      /^\[cachette:core\] @CacheControl\(\): unknown directive "bogus"/,
    );
    expect(() => resolveDirectives({ public: 'yes' } as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => resolveDirectives(null as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });

  it('NEVER_CACHE is what Django’s never_cache sends', () => {
    expect(NEVER_CACHE).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
  });

  it('varyOnNames needs at least one token', () => {
    expect(varyOnNames('varyOnHeaders', ['Accept-Language', 'X-Device'])).toEqual(['Accept-Language', 'X-Device']);
    for (const names of [[], ['Accept Language'], ['*'], ['a;b']]) {
      expect(() => varyOnNames('varyOnCookies', names)).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    }
  });

  it('route marks belong to one request object', () => {
    const a = {};
    expect(marksOf(a)).toBeUndefined();
    markRequest(a).varyHeaders.push('Accept');
    expect(marksOf(a)).toEqual({ varyHeaders: ['Accept'], varyCookies: [], neverCache: false });
    expect(marksOf({})).toBeUndefined();
  });
});
