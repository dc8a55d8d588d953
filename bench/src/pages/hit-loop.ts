/**
 * The core page cache's hit path in a loop, without HTTP: fills a page cache (memory tier) with N
 * pages through a real node:http server, then times `pages.hit` over the N URLs in turn, as the
 * page bench's load asks for them. Prints ns per hit for each round; with a file name as the third
 * argument, writes a CPU profile of rounds 2.. there (read it with `src/pages/profile.ts`).
 *
 *   pnpm exec tsx src/pages/hit-loop.ts 10000 [rounds=6] [/tmp/hit.cpuprofile]
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { nodePageRequest } from '@cachette/core/node';
import { createPageCache } from '@cachette/core/pages';
import { PAGE_JSON, PAGE_ROUTE } from './body.js';
import { benchCache } from './cache.js';
import { throughPageCache } from './core-handler.js';

const pagesCount = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 6);
const profileFile = process.argv[4];
const ITERATIONS = 200_000;

const pages = createPageCache('15m', { cache: benchCache() });
const server = createServer(
  throughPageCache(pages, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(PAGE_JSON)) });
    res.end(PAGE_JSON);
  }),
);

server.listen(0, '127.0.0.1', async () => {
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (let n = 0; n < pagesCount; n += 8) {
    const batch = Array.from({ length: Math.min(8, pagesCount - n) }, (_, i) =>
      fetch(`${origin}${PAGE_ROUTE}/${n + i}`).then((r) => r.text()),
    );
    await Promise.all(batch);
  }
  const headers = { host: new URL(origin).host };
  const request = (n: number) => ({ method: 'GET', url: `${PAGE_ROUTE}/${n}`, headers, socket: {} }) as never;
  const session = profileFile ? new Session() : undefined;
  session?.connect();
  await session?.post('Profiler.enable');
  await session?.post('Profiler.setSamplingInterval', { interval: 100 });
  for (let round = 0; round < rounds; round++) {
    if (round === 1) await session?.post('Profiler.start');
    let hits = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) if (pages.hit(nodePageRequest(request(i % pagesCount))) !== undefined) hits++;
    const ns = Number(process.hrtime.bigint() - started) / ITERATIONS;
    console.log(`round ${round + 1}: ${hits}/${ITERATIONS} hits, ${ns.toFixed(0)} ns a hit`);
  }
  if (session && profileFile) {
    const { profile } = (await session.post('Profiler.stop')) as { profile: unknown };
    writeFileSync(profileFile, JSON.stringify(profile));
  }
  server.close();
});
