import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../../src/pages.js';
import { renderThrough, req, res, setup, text } from './helpers.js';

const long = (n: number, s = 'a') => s.repeat(n);
const nextTurn = () => new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')));

/** Requests no well-behaved client sends: each must be decided quickly, without a throw, never as a hit. */
const hostile: [string, Partial<PageRequest>, PageRequest['headers']][] = [
  ['absolute-form', { url: 'http://example.com/page' }, {}],
  ['authority-form', { url: 'example.com:80' }, {}],
  ['asterisk-form', { url: '*' }, {}],
  ['%00', { url: '/page%00' }, {}],
  ['raw NUL', { url: '/page\u0000' }, {}],
  ['non-ASCII path', { url: '/pagé' }, {}],
  ['huge URL', { url: `/${long(100_000)}` }, {}],
  ['odd method', { method: 'BREW' }, {}],
  ['empty method', { method: '' }, {}],
  ['lower-case get', { method: 'get' }, {}],
  ['no Host', {}, { host: undefined }],
  ['two Hosts', {}, { host: ['a.com', 'b.com'] as unknown as string }],
  ['Host with userinfo', {}, { host: 'user@example.com' }],
  ['huge Host', {}, { host: `${long(70_000)}.com` }],
  ['non-ASCII Host', {}, { host: 'exämple.com' }],
  ['bad port', {}, { host: 'example.com:99999' }],
  ['unterminated quote', {}, { 'cache-control': 'max-age="1, no-store' }],
  ['huge Cookie', {}, { cookie: long(50_000, 'a=1; ') }],
  ['revalidation mark forged', {}, { 'x-cachette-revalidate': 'guess' }],
];

/** Odd but harmless: the stored page itself, whole. */
const harmless: [string, PageRequest['headers']][] = [
  // issue 8 item 1: a request's no-cache is ignored (as Django, Varnish, nginx) unless honorClientNoCache
  ['huge Cache-Control', { 'cache-control': long(100_000, 'no-cache,') }],
  ['huge If-None-Match', { 'if-none-match': long(50_000, '"x", ') }],
  ['If-Modified-Since junk', { 'if-modified-since': long(10_000, 'Sun, ') }],
  ['many header keys', Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`x-h${i}`, 'v']))],
  ['numbers as values', { 'content-length': 0 as unknown as string, 'x-n': 7 as unknown as string }],
];

describe('hostile requests: decided at once, never a crash or someone else’s page', () => {
  it.each(hostile)('%s', async (_name, overrides, headers) => {
    const { pages, errors } = setup();
    await renderThrough(pages, req(), res('the page'));
    // decided at once: before the event loop turns, so on no timer (the clock is a manual one) and no I/O
    const decision = await Promise.race([pages.begin(req(overrides, headers)), nextTurn()]);
    expect(decision).not.toBe('pending');
    if (decision === 'pending') return;
    expect(decision.action).not.toBe('serve');
    expect(errors).toEqual([]);
  });

  it.each(harmless)('%s is answered with the stored page', async (_name, headers) => {
    const { pages, errors } = setup();
    await renderThrough(pages, req(), res('the page'));
    const decision = await pages.begin(req({}, headers));
    expect(decision.action === 'serve' && [decision.response.status, text(decision.response)]).toEqual([200, 'the page']);
    expect(errors).toEqual([]);
  });

  it('a response varying on a huge Vary list is not stored, and quickly', async () => {
    const { pages } = setup();
    const vary = Array.from({ length: 10_000 }, (_, i) => `X-${i}`).join(', ');
    const sent = await renderThrough(pages, req(), res('x', { vary }));
    expect(text(sent)).toBe('x');
    expect((await pages.begin(req())).action).toBe('render');
  });

  it('a malformed request shape is passed', async () => {
    const { pages } = setup();
    for (const bad of [null, {}, { headers: null }, { method: 'GET', url: 42, headers: {} }]) {
      expect((await pages.begin(bad as unknown as PageRequest)).action).toBe('pass');
    }
  });
});
