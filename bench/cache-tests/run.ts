/**
 * Runs the public HTTP cache test suite (github.com/http-tests/cache-tests) against
 * examples/caching-proxy and prints the result by group next to the published reverse proxies.
 *
 *   tsx cache-tests/run.ts [--git=<url or local clone>] [--npm] [--id=<test id>] [--out=<file>]
 *
 * Ports: ORIGIN_PORT (the suite's server, default 18401), PROXY_PORT (default 18402).
 * Nothing of the suite is kept: it is unpacked into a temp dir and removed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCache } from '@cachette/core';
import { createProxyApp } from '../../examples/caching-proxy/src/app.js';
import { markdownReport, printReport, type Report, summarize } from './report.js';
import { DEFAULT_GIT, type InstalledSuite, installFromGit, installFromNpm } from './suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, ...value] = arg.replace(/^--/, '').split('=');
    return [name as string, value.join('=')] as const;
  }),
);
const originPort = Number(process.env.ORIGIN_PORT ?? 18401);
const proxyPort = Number(process.env.PROXY_PORT ?? 18402);
const testId = args.get('id') ?? '';

const tmp = mkdtempSync(join(tmpdir(), 'cachette-cache-tests-'));
const children: ChildProcess[] = [];
let proxy: Server | undefined;

async function main(): Promise<void> {
  const suite: InstalledSuite = args.has('npm') ? installFromNpm(tmp) : installFromGit(tmp, args.get('git') || DEFAULT_GIT);
  console.error(`suite: ${suite.describe}`);
  await startOrigin(suite);
  proxy = createProxyApp(createCache(), `http://127.0.0.1:${originPort}`).listen(proxyPort, '127.0.0.1');
  await once(proxy, 'listening');
  const output = await runClient(suite);
  if (testId !== '') {
    console.log(output);
    return;
  }
  const results = JSON.parse(output.slice(output.indexOf('{'))) as Record<string, unknown>;
  const report: Report = await summarize(suite.dir, results, suite.describe);
  printReport(report);
  const out = args.get('out') || join(here, '..', 'results', args.has('npm') ? 'cache-tests-npm.json' : 'cache-tests.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(out.replace(/\.json$/, '.md'), markdownReport(report));
  console.error(`written: ${out} and its .md`);
}

/** The suite's own server (`npm run server`), the origin behind the proxy. */
async function startOrigin({ dir, server }: InstalledSuite): Promise<void> {
  const env = {
    ...process.env,
    npm_config_protocol: 'http',
    npm_config_port: String(originPort),
    npm_config_pidfile: join(tmp, 'server.pid'),
  };
  const child = spawn(process.execPath, [server], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  child.stdout?.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the suite's server exited (${code}) before it listened`)));
    child.stdout?.on('data', (text: string) => {
      if (text.includes('Listening on')) resolve();
    });
  });
}

/** The suite's CLI client (`npm run cli --base=…`), pointed at the proxy; its stdout. */
async function runClient({ dir, cli }: InstalledSuite): Promise<string> {
  const env = {
    ...process.env,
    npm_config_base: `http://127.0.0.1:${proxyPort}`,
    npm_config_id: testId,
    npm_package_config_id: testId,
  };
  const child = spawn(process.execPath, ['--no-warnings', cli], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    output += text;
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the suite's client exited with ${code}`);
  return output;
}

function cleanUp(): void {
  for (const child of children) if (child.exitCode === null) child.kill();
  proxy?.closeAllConnections();
  proxy?.close();
  rmSync(tmp, { recursive: true, force: true });
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanUp);
