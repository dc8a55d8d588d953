import { describe, expect, it } from 'vitest';
import { expectRender, expectServe, req, res, setup, text, tick, track } from './helpers.js';

describe('concurrent misses', () => {
  it('render once; the others are served what it stored', async () => {
    const { pages } = setup({ cacheStatus: 'c' });
    const lead = expectRender(await pages.begin(req()));
    const waiters = [track(pages.begin(req())), track(pages.begin(req()))];
    await tick();
    expect(waiters.map((w) => w.decision)).toEqual([undefined, undefined]);
    await lead.finish(res('once'));
    await tick();
    for (const waiter of waiters) {
      const served = expectServe(waiter.decision!);
      expect(text(served)).toBe('once');
      expect(served.headers['cache-status']).toBe('c; fwd=miss; ttl=60; collapsed');
    }
  });

  it('an uncacheable render sends the others to render their own, and is not queued behind again', async () => {
    const { pages, clock } = setup();
    const lead = expectRender(await pages.begin(req()));
    const waiter = track(pages.begin(req()));
    await tick();
    const leaked = res('secret for one user', { 'set-cookie': 'sid=1' });
    expect(await lead.finish(leaked)).toBe(leaked);
    await tick();
    const own = expectRender(waiter.decision!);
    expect(own).not.toBe(lead);
    // remembered: later requests render at once, side by side, without waiting for each other
    const a = expectRender(await pages.begin(req()));
    const b = expectRender(await pages.begin(req()));
    expect(a).not.toBe(b);
    await clock.advance(10_000);
    expectRender(await pages.begin(req()));
    const queued = track(pages.begin(req()));
    await tick();
    expect(queued.decision).toBeUndefined();
  });

  it('a failed or timed-out lead lets the waiters render; a failure is not remembered', async () => {
    const { pages, clock } = setup({ lockTimeout: '2s' });
    const lead = expectRender(await pages.begin(req()));
    const waiter = track(pages.begin(req()));
    await tick();
    expect(await lead.fail(new Error('boom'))).toBeUndefined();
    await tick();
    expectRender(waiter.decision!);
    const second = expectRender(await pages.begin(req()));
    const late = track(pages.begin(req()));
    await clock.advance(1_999);
    expect(late.decision).toBeUndefined();
    await clock.advance(1);
    expectRender(late.decision!);
    // the slow lead may still store when it finishes
    await second.finish(res('slow'));
    expect(text(expectServe(await pages.begin(req())))).toBe('slow');
  });

  it('a waiter whose variant differs from what the lead stored renders its own', async () => {
    const { pages } = setup();
    const lead = expectRender(await pages.begin(req({}, { 'accept-language': 'fr' })));
    const waiter = track(pages.begin(req({}, { 'accept-language': 'de' })));
    await tick();
    await lead.finish(res('bonjour', { vary: 'Accept-Language' }));
    await tick();
    const own = expectRender(waiter.decision!);
    await own.finish(res('hallo', { vary: 'Accept-Language' }));
    expect(text(expectServe(await pages.begin(req({}, { 'accept-language': 'de' }))))).toBe('hallo');
  });

  it('an overflow lets the waiters go at once', async () => {
    const { pages } = setup({ maxBodyBytes: 10 });
    const lead = expectRender(await pages.begin(req()));
    const waiter = track(pages.begin(req()));
    await tick();
    lead.overflow();
    await tick();
    expectRender(waiter.decision!);
  });

  it('an abandon (a response streamed on purpose) lets the waiters go at once, is not stored, and is not queued behind again', async () => {
    const { pages } = setup();
    const lead = expectRender(await pages.begin(req()));
    const waiter = track(pages.begin(req()));
    await tick();
    lead.abandon();
    await tick();
    const own = expectRender(waiter.decision!);
    expect(await own.fail(new Error('late'))).toBeUndefined();
    const a = expectRender(await pages.begin(req()));
    const b = expectRender(await pages.begin(req()));
    expect(a).not.toBe(b);
    // too late to answer anything else once the response streams
    a.abandon();
    expect(await a.fail(new Error('after'))).toBeUndefined();
    expect(await a.finish(res('ignored'))).toMatchObject({ status: 200 });
    expectRender(await pages.begin(req()));
  });

  it('every capture method is safe to call more than once', async () => {
    const { pages } = setup();
    const capture = expectRender(await pages.begin(req()));
    const response = res('x');
    await capture.finish(response);
    expect(await capture.finish(res('y'))).toMatchObject({ status: 200 });
    expect(await capture.fail(new Error('late'))).toBeUndefined();
    capture.overflow();
    capture.abandon();
    expect(text(expectServe(await pages.begin(req())))).toBe('x');
  });
});
