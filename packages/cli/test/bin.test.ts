import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createCache, memoryStore } from '@cachette/core';
import { redisBus, redisStore } from '@cachette/redis';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, REDIS_URL } from '../../../test/helpers/services.js';
import { cachette } from './run.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Runs the built `cachette` bin in its own process, as a script would. */
function bin(...argv: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('the cachette bin, when Redis is not there', () => {
  // a server that takes the connection and never answers: the worst case for a hang
  let silent: Server;
  let silentPort = 0;
  // a port nothing listens on: taken from the kernel, then let go
  let closedPort = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm run build first`);
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    closedPort = (gone.address() as { port: number }).port;
    await new Promise((resolve) => gone.close(resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a refused connection exits 3 at once, with a coded JSON error', async () => {
    const run = await bin('stats', '--redis', `redis://127.0.0.1:${closedPort}`, '--json');
    expect(run.code).toBe(3);
    expect(JSON.parse(run.out)).toMatchObject({ ok: false, error: { code: 'E_UNREACHABLE', exitCode: 3 } });
    expect(JSON.parse(run.out).error.message).toContain('ECONNREFUSED');
  });

  it.each([['stats'], ['purge', '--tag', 't']])(
    '%j against a server that never answers exits 3 within --timeout, never hangs',
    async (...argv) => {
      const run = await bin(...argv, '--redis', `redis://127.0.0.1:${silentPort}`, '--timeout', '300ms');
      expect(run.code).toBe(3);
      // the bound fired (not a socket timeout of the OS); a hang would be this test's own timeout
      expect(run.err).toContain('no answer within 300ms');
    },
  );

  it.each([['get', 'k'], ['clear', '-n', 'shop'], ['bump-version']])('%j (in-process) is bounded the same way', async (...argv) => {
    const run = await cachette(...argv, '--redis', `redis://127.0.0.1:${silentPort}`, '--timeout', '300ms', '--json');
    expect(run.code).toBe(3);
    expect(run.json()).toMatchObject({
      ok: false,
      error: { code: 'E_UNREACHABLE', message: expect.stringContaining('no answer within 300ms') },
    });
  });

  it('a cluster or sentinel set is used, or refused with a coded error; never a hang', async () => {
    for (const flags of [
      ['--cluster', `127.0.0.1:${closedPort}`],
      ['--sentinel', `mymaster@127.0.0.1:${closedPort}`],
    ]) {
      const run = await bin('stats', ...flags, '--timeout', '300ms', '--json');
      expect([3, 4]).toContain(run.code);
      expect(JSON.parse(run.out).error.code).toBe(run.code === 4 ? 'E_UNSUPPORTED' : 'E_UNREACHABLE');
    }
  });

  it('a usage error exits 1', async () => {
    const run = await bin('frobnicate');
    expect(run.code).toBe(1);
    expect(run.err).toContain('unknown command');
  });
});

describe.skipIf(!REDIS_URL)('the cachette bin, against a real Redis', () => {
  it('purges a tag that a running process holds, then ends: no connection left open', async () => {
    const namespace = `bin${randomUUID().slice(0, 8)}`;
    const channel = `bus:${namespace}`;
    const url = REDIS_URL as string;
    const cache = createCache({
      namespace,
      tiers: [{ store: memoryStore() }, { store: redisStore({ url }) }],
      bus: redisBus({ url, channel }),
    });
    try {
      await cache.set('p', 'lamp', { tags: ['product:1'] });
      const admin = createClient({ url });
      await admin.connect();
      await eventually(async () => Number((await admin.pubSubNumSub(channel))[channel]) === 1);
      await admin.close();
      const run = await bin('purge', '--tag', 'product:1', '--redis', url, '--namespace', namespace, '--channel', channel, '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({ ok: true, listeners: 1 });
      await eventually(() => cache.peek('p') === undefined);
      const get = await bin('get', 'p', '--redis', url, '--namespace', namespace);
      expect(get.code).toBe(2);
    } finally {
      await cache.disconnect();
    }
  });
});
