import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, REDIS_URL } from '../../../test/helpers/services.js';
import { openAdmin } from '../src/admin.js';
import { cachette } from './run.js';

/** CACHETTE_SENTINEL_PORT, or one the kernel has free (as scripts/test.sh picks its ports). */
async function sentinelPort(): Promise<number> {
  if (process.env.CACHETTE_SENTINEL_PORT) return Number(process.env.CACHETTE_SENTINEL_PORT);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real Sentinel watching the test Redis as master `mymaster`, started and stopped here. */
describe.skipIf(!REDIS_URL)('a Sentinel set', () => {
  const master = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379');
  let dir: string;
  let sentinel: ChildProcess;
  let SENTINEL_PORT = 0;
  let sentinels: Array<{ host: string; port: number }> = [];

  beforeAll(async () => {
    SENTINEL_PORT = await sentinelPort();
    sentinels = [{ host: '127.0.0.1', port: SENTINEL_PORT }];
    dir = mkdtempSync(join(tmpdir(), 'cachette-sentinel-'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${SENTINEL_PORT}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor mymaster ${master.hostname} ${master.port || 6379} 1`,
        'sentinel down-after-milliseconds mymaster 60000',
        '',
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    const probe = createClient({ socket: { host: '127.0.0.1', port: SENTINEL_PORT, reconnectStrategy: false } });
    probe.on('error', () => undefined);
    await eventually(async () => {
      try {
        if (!probe.isOpen) await probe.connect();
        return Array.isArray(await probe.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster']));
      } catch {
        return false;
      }
    });
    await probe.close();
  });

  afterAll(async () => {
    if (sentinel.exitCode === null) {
      const exited = new Promise((resolve) => sentinel.once('exit', resolve));
      sentinel.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the command reaches the master the sentinels name', async () => {
    const admin = await openAdmin({ sentinel: { name: 'mymaster', sentinelRootNodes: sentinels } }, 2_000);
    try {
      const port = await admin.nodes[0]?.configGet('port');
      expect(port).toEqual({ port: master.port || '6379' });
    } finally {
      await admin.close();
    }
  });

  it('a master name the sentinels do not know is not found (exit 2)', async () => {
    await expect(openAdmin({ sentinel: { name: 'nope', sentinelRootNodes: sentinels } }, 2_000)).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
  });

  it('--sentinel works, or says this @cachette/redis does not take it yet (exit 4)', async () => {
    const run = await cachette('stats', '--sentinel', `mymaster@127.0.0.1:${SENTINEL_PORT}`, '--json');
    expect([0, 4]).toContain(run.code);
    if (run.code === 4) expect(run.json()).toMatchObject({ error: { code: 'E_UNSUPPORTED' } });
    else expect(run.json()).toMatchObject({ ok: true, command: 'stats' });
  });
});
