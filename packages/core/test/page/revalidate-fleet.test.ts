import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCache, type ManualClock, manualClock, memoryStore } from '../../src/index.js';
import { nodePageRequest } from '../../src/node.js';
import { revalidationToken } from '../../src/page/revalidation-secret.js';
import { createPageCache, type PageCache, type PageRequest, type PageResponse } from '../../src/pages.js';
import { expectPass, expectServe, renderThrough, req, res, text } from './helpers.js';

const SECRET = 'a fleet-wide secret of 32 chars.';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Worker {
  pages: PageCache;
  /** Renders this worker's handler ran, and whether each was a background refresh it stored. */
  renders: string[];
  /** The worker's own server: where a loopback refresh that reaches this worker goes. */
  local: { address: string; port: number; tls?: boolean };
}

/**
 * Workers of one fleet: page caches on one shared store (standing for Redis) and one clock,
 * each with a real server whose handler goes through its page cache, as an adapter would.
 */
async function fleet(secrets: Array<string | string[] | undefined>, tls?: { key: string; cert: string }) {
  const clock = manualClock();
  const shared = memoryStore();
  return {
    clock,
    workers: await Promise.all(secrets.map((secret) => worker(clock, shared, secret, tls))),
  };
}

async function worker(
  clock: ManualClock,
  shared: ReturnType<typeof memoryStore>,
  secret: string | string[] | undefined,
  tls?: { key: string; cert: string },
) {
  const cache = createCache({ clock, tiers: [{ store: shared }] });
  const pages = createPageCache('10s', { cache, staleWhileRevalidate: '1m', revalidationSecret: secret });
  const renders: string[] = [];
  let version = 0;
  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const decision = await pages.begin(nodePageRequest(incoming));
    let response: PageResponse;
    if (decision.action === 'serve') response = decision.response;
    else {
      response = res(`v${++version}`);
      renders.push(decision.action);
      if (decision.action === 'render') response = await decision.capture.finish(response);
    }
    outgoing.writeHead(response.status, response.headers);
    outgoing.end(response.body);
  };
  const server = tls ? createTlsServer(tls, handle) : createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { pages, renders, local: { address: '127.0.0.1', port, tls: tls !== undefined } } satisfies Worker;
}

/** A stale hit on `a` whose loopback refresh the kernel hands to `b` (workers sharing one port). */
async function staleHitLandingOn(a: Worker, b: Worker, clock: ManualClock): Promise<void> {
  const secure = b.local.tls === true;
  await renderThrough(a.pages, req({ secure }), res('v0'));
  await clock.advance(11_000);
  expect(text(expectServe(await a.pages.begin(req({ local: b.local, secure }))))).toBe('v0');
  await expect.poll(() => b.renders.length).toBe(1);
}

/** What `a` answers now, on the same scheme as `b`'s socket. */
async function answerOf(a: Worker, b: Worker): Promise<string> {
  return text(expectServe(await a.pages.begin(req({ local: b.local, secure: b.local.tls === true }))));
}

describe('stale-while-revalidate across workers sharing one port', () => {
  it('with a fleet-wide secret, a refresh that lands on another worker renders there and is stored', async () => {
    const { clock, workers } = await fleet([SECRET, SECRET]);
    const [a, b] = workers as [Worker, Worker];
    await staleHitLandingOn(a, b, clock);
    expect(b.renders).toEqual(['render']);
    await expect.poll(() => answerOf(a, b)).toBe('v1');
  });

  it('rotation: a worker that signs with the new secret is accepted by one that still lists the old one second', async () => {
    const next = 'the next fleet-wide secret, 32 ch';
    const { clock, workers } = await fleet([
      [next, SECRET],
      [SECRET, next],
    ]);
    const [a, b] = workers as [Worker, Worker];
    await staleHitLandingOn(a, b, clock);
    expect(b.renders).toEqual(['render']);
  });

  it('another fleet secret: the refresh is refused there (passed, never stored)', async () => {
    const { clock, workers } = await fleet([SECRET, 'another fleet, another secret!!!']);
    const [a, b] = workers as [Worker, Worker];
    await staleHitLandingOn(a, b, clock);
    expect(b.renders).toEqual(['pass']);
    expect(await answerOf(a, b)).toBe('v0'); // still the stale page
  });

  it('a client cannot forge a refresh: a guess, a token for another URL, or one from two minutes ago passes', async () => {
    const { clock, workers } = await fleet([SECRET]);
    const [a] = workers as [Worker];
    await renderThrough(a.pages, req(), res('v0'));
    const secrets = { keys: [Buffer.from(SECRET)], shared: true };
    const forged = (url: string, at: number) => ({ 'x-cachette-revalidate': revalidationToken(secrets, url, at) });
    expectPass(await a.pages.begin(req({}, { 'x-cachette-revalidate': 'guess' })));
    expectPass(await a.pages.begin(req({}, forged('/other', clock.now()))));
    const old = forged('/page', clock.now());
    await clock.advance(120_000);
    expectPass(await a.pages.begin(req({}, old)));
    // the token the fleet makes now is taken: rendered in the background, no lookup
    const now = await a.pages.begin(req({}, forged('/page', clock.now())));
    expect(now.action).toBe('render');
  });

  it('a secret shorter than 32 characters, or an empty list, is refused when the page cache is made', () => {
    const cache = createCache();
    for (const revalidationSecret of ['short', [], [SECRET, 'short'], 42]) {
      expect(() => createPageCache('1m', { cache, revalidationSecret: revalidationSecret as string })).toThrow(
        expect.objectContaining({ code: 'E_INVALID_OPTION' }),
      );
    }
  });
});

describe.skipIf(spawnSync('sh', ['-c', 'command -v openssl']).status !== 0)('stale-while-revalidate on HTTPS sockets', () => {
  it('the loopback refresh speaks TLS to a TLS socket, and lands on another worker too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachette-tls-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=example.com'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    rmSync(dir, { recursive: true, force: true });
    const { clock, workers } = await fleet([SECRET, SECRET], tls);
    const [a, b] = workers as [Worker, Worker];
    await staleHitLandingOn(a, b, clock);
    expect(b.renders).toEqual(['render']);
    await expect.poll(() => answerOf(a, b)).toBe('v1');
  });

  it('a request marked secure on a socket not known to be TLS (behind a proxy) renders in the foreground', async () => {
    const { clock, workers } = await fleet([SECRET]);
    const [a] = workers as [Worker];
    await renderThrough(a.pages, req(), res('v0'));
    await clock.advance(11_000);
    const request: PageRequest = req({ secure: true, local: { address: '127.0.0.1', port: a.local.port } });
    expect((await a.pages.begin(request)).action).toBe('render');
  });
});
