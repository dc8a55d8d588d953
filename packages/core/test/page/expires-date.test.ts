import { describe, expect, it } from 'vitest';
import { formatHttpDate } from '../../src/http.js';
import type { ManualClock } from '../../src/index.js';
import type { PageCache } from '../../src/pages.js';
import { expectRender, expectServe, isStored, renderThrough, req, res, setup } from './helpers.js';

/** Served for `ms` more, rendered from then on. */
async function expectFreshFor(pages: PageCache, clock: ManualClock, ms: number): Promise<void> {
  await clock.advance(ms - 1);
  expectServe(await pages.begin(req()));
  await clock.advance(1);
  expectRender(await pages.begin(req()));
}

describe('freshness from Expires is Expires − Date, less the current age (RFC 9111 §4.2.1, §4.2.3)', () => {
  it('Date −10 s, Expires +10 s and Age: 25 is already stale: not stored', async () => {
    const { pages, clock } = setup();
    const headers = { date: formatHttpDate(clock.now() - 10_000), expires: formatHttpDate(clock.now() + 10_000), age: '25' };
    expect(await isStored(pages, res('x', headers))).toBe(false);
  });

  it('an old Date: the lifetime is Expires − Date, not Expires − now', async () => {
    const { pages, clock } = setup();
    const headers = { date: formatHttpDate(clock.now() - 100_000), expires: formatHttpDate(clock.now() + 10_000) };
    // Lifetime 110 s, age 100 s: 10 s left.
    await renderThrough(pages, req(), res('x', headers));
    await expectFreshFor(pages, clock, 10_000);
  });

  it('an upstream Age counts against an Expires lifetime', async () => {
    const { pages, clock } = setup();
    const headers = { date: formatHttpDate(clock.now()), expires: formatHttpDate(clock.now() + 30_000), age: '20' };
    await renderThrough(pages, req(), res('x', headers));
    await expectFreshFor(pages, clock, 10_000);
  });

  it('a Date ahead of the clock shortens nothing: Expires − Date is the lifetime (the received time stands in for no Date)', async () => {
    const { pages, clock } = setup();
    // The origin's clock is 60 s fast: Expires is Date + 10 s, so 10 s fresh, not 70.
    const headers = { date: formatHttpDate(clock.now() + 60_000), expires: formatHttpDate(clock.now() + 70_000) };
    await renderThrough(pages, req(), res('x', headers));
    await expectFreshFor(pages, clock, 10_000);
  });

  it('an invalid Date: the time the response was received stands in for it', async () => {
    const { pages, clock } = setup();
    await renderThrough(pages, req(), res('x', { date: 'yesterday', expires: formatHttpDate(clock.now() + 5_000) }));
    await expectFreshFor(pages, clock, 5_000);
  });

  it('the time the render took counts in the age (response_delay)', async () => {
    const { pages, clock } = setup();
    const capture = expectRender(await pages.begin(req()));
    await clock.advance(3_000);
    await capture.finish(res('x', { date: formatHttpDate(clock.now()), expires: formatHttpDate(clock.now() + 10_000), age: '2' }));
    // Age 2 + 3 s of render: 5 s old on arrival, 5 s left.
    const hit = expectServe(await pages.begin(req()));
    expect(hit.headers.age).toBe('5');
    await clock.advance(5_000);
    expectRender(await pages.begin(req()));
  });
});

describe('a hit keeps the stored Date; Age says how old it is (RFC 9110 §6.6.1, RFC 9111 §5.1)', () => {
  it('the origin Date is replayed as it was', async () => {
    const { pages, clock } = setup();
    const date = formatHttpDate(clock.now() - 2_000);
    await renderThrough(pages, req(), res('x', { date, 'cache-control': 'max-age=60' }));
    await clock.advance(5_000);
    const hit = expectServe(await pages.begin(req()));
    expect(hit.headers.date).toBe(date);
    expect(hit.headers.age).toBe('7');
  });

  it('a response without Date gets the time it was received, kept on every hit', async () => {
    const { pages, clock } = setup();
    const received = formatHttpDate(clock.now());
    const sent = await renderThrough(pages, req(), res('x'));
    expect(sent.headers.date).toBe(received);
    await clock.advance(3_000);
    const hit = expectServe(await pages.begin(req()));
    expect(hit.headers.date).toBe(received);
    expect(hit.headers.age).toBe('3');
  });

  it('the route TTL patches Expires from the same Date it keeps (Django patch_response_headers)', async () => {
    const { pages, clock } = setup({}, '2m');
    const sent = await renderThrough(pages, req(), res('x', { 'cache-control': 'max-age=600' }));
    expect(sent.headers['cache-control']).toBe('max-age=120');
    expect(sent.headers.expires).toBe(formatHttpDate(clock.now() + 120_000));
    await clock.advance(10_000);
    const hit = expectServe(await pages.begin(req()));
    expect(hit.headers.date).toBe(sent.headers.date);
    expect(hit.headers.expires).toBe(sent.headers.expires);
  });
});
