/**
 * The page-cache benchmark: cachette's adapters against the usual page/response caches of each
 * framework, over real HTTP on loopback, in one run, for several page shapes (body size × how
 * many distinct pages the load asks for in turn).
 *
 * 1. Express 5: static Buffer route (the floor), the same with a Buffer of its own per page (a
 *    reference), `cachePage('15m')` hits, site-wide `cachette()` hits, apicache route-level and
 *    site-wide hits
 * 2. Koa 3 (@koa/router): static Buffer route, `cachePage('15m')` hits, koa-cash hits
 * 3. NestJS 11 on platform-express, 4. on platform-fastify: uncached route, a route returning a
 *    prebuilt Buffer, the same with a copy of its own per page (a reference), `@CachePage('15m')`
 *    hits, `CacheInterceptor` hits (behind a global guard)
 * 5. plain node:http: a prebuilt Buffer (the machine's floor), the core page cache's hits
 *
 * Every server runs in a child process of its own (`node --import tsx`) on 127.0.0.1 and a port
 * the OS picks, and answers `/catalogue/<n>` with the same JSON page. autocannon runs here. Per
 * shape, server and round: a warm-up run, then a measured one; the servers of a group take turns
 * (A B C A B C) so that drift on a shared machine hits all of them alike. Cached pages are
 * warmed and checked first (a hit shows, the handler does not run), and the handler must not run
 * at all during the runs. Prints a markdown report and writes it to `bench/results/pages.md`.
 *
 *   pnpm --filter @cachette/bench run bench:pages      # builds the packages, then runs this
 *   BENCH_PAGES_DURATION=10 BENCH_PAGES_WARMUP=2 BENCH_PAGES_CONNECTIONS=10 BENCH_PAGES_ROUNDS=3 tsx src/pages.ts
 *   BENCH_PAGES_ONLY=nest,nest-fastify tsx src/pages.ts   # some groups (express, koa, nest, nest-fastify, node)
 *   BENCH_PAGES_SHAPES=1kb:1,20kb:100 tsx src/pages.ts    # body size : pages (default 1kb:1,1kb:100,1kb:10000,20kb:100,200kb:100)
 *   BENCH_PAGES_CPU_PROF=/tmp/prof tsx src/pages.ts     # every server profiles itself into /tmp/prof/<shape>/<group>-<variant>/; report in /tmp/prof/pages.md
 *   tsx src/pages/profile.ts /tmp/prof/1kb-1/nest-cachette  # where that server spent its time
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage, pagePath } from './pages/body.js';
import { type LoadRun, quantile, runLoad } from './pages/load.js';
import {
  type GroupResult,
  type PagesRun,
  type Role,
  renderReport,
  type ServerResult,
  type Shape,
  type ShapeResult,
  shapeName,
  type TargetDef,
} from './pages/report.js';
import { BENCH_DIR, type RunningServer, startServer, stopAllServers } from './pages/servers.js';

const REPORT = fileURLToPath(new URL('../results/pages.md', import.meta.url));

interface ServerDef {
  variant: string;
  name: string;
  role: Role;
  /** A response header that marks a hit, and what its value must look like. */
  hitHeader?: { name: string; value: RegExp };
}

interface GroupDef {
  id: string;
  title: string;
  file: string;
  /** Arguments after the variant. */
  args?: string[];
  servers: ServerDef[];
  targets: TargetDef[];
}

const version = (name: string): string =>
  (JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

function nestGroup(platform: 'express' | 'fastify'): GroupDef {
  const age = { name: 'age', value: /^\d+$/ };
  const on = `platform-${platform}`;
  return {
    id: platform === 'express' ? 'nest' : 'nest-fastify',
    title: `NestJS ${version('@nestjs/core')} (${on}), a global guard`,
    file: 'nest-server.ts',
    args: [platform],
    servers: [
      { variant: 'static', name: 'route returning the prebuilt JSON text (floor)', role: 'floor' },
      { variant: 'static-pages', name: 'the same, each page its own copy of the text (reference)', role: 'reference' },
      { variant: 'uncached', name: 'uncached route (handler + JSON per request)', role: 'reference' },
      { variant: 'cachette', name: "cachette `@CachePage('15m')`, hits", role: 'cachette', hitHeader: age },
      {
        variant: 'cache-manager',
        name: `@nestjs/cache-manager ${version('@nestjs/cache-manager')} \`CacheInterceptor\` (cache-manager ${version('cache-manager')}), hits`,
        role: 'peer',
      },
    ],
    targets: [
      { mine: 'cachette', against: 'cache-manager', min: 1.2, label: `Nest (${on}) @CachePage hits >= 1.2x CacheInterceptor hits` },
      { mine: 'cachette', against: 'static', min: 1.0, label: `Nest (${on}) @CachePage hits >= 1.0x a prebuilt-body route` },
    ],
  };
}

function groups(): GroupDef[] {
  const age = { name: 'age', value: /^\d+$/ };
  return [
    {
      id: 'express',
      title: `Express ${version('express')}`,
      file: 'express-server.ts',
      servers: [
        { variant: 'static', name: 'static Buffer route (floor)', role: 'floor' },
        { variant: 'static-pages', name: 'the same, each page its own Buffer (reference)', role: 'reference' },
        { variant: 'cachette', name: "cachette `cachePage('15m')` on the route, hits", role: 'cachette', hitHeader: age },
        { variant: 'cachette-site', name: "cachette site-wide `cachette({ ttl: '15m' })`, hits", role: 'cachette', hitHeader: age },
        { variant: 'apicache', name: `apicache ${version('apicache')} \`middleware('15 minutes')\` on the route, hits`, role: 'peer' },
        {
          variant: 'apicache-site',
          name: `apicache ${version('apicache')} site-wide \`app.use(middleware('15 minutes'))\`, hits`,
          role: 'peer',
        },
      ],
      targets: [
        {
          mine: 'cachette-site',
          against: 'apicache-site',
          min: 1.0,
          label: 'Express site-wide cachette() hits >= 1.0x apicache site-wide hits',
        },
        { mine: 'cachette', against: 'static', min: 1.0, label: 'Express cachePage hits >= 1.0x a prebuilt-body route' },
        {
          mine: 'cachette',
          against: 'apicache',
          min: 1.0,
          label: 'Express cachePage hits >= 1.0x apicache route-level hits (not in the issue)',
        },
      ],
    },
    {
      id: 'koa',
      title: `Koa ${version('koa')} + @koa/router ${version('@koa/router')}`,
      file: 'koa-server.ts',
      servers: [
        { variant: 'static', name: 'static Buffer route (floor)', role: 'floor' },
        { variant: 'cachette', name: "cachette `cachePage('15m')`, hits", role: 'cachette', hitHeader: age },
        {
          variant: 'koa-cash',
          name: `koa-cash ${version('koa-cash')} (Map store with TTL), hits`,
          role: 'peer',
          hitHeader: { name: 'x-cached-response', value: /^HIT$/ },
        },
      ],
      targets: [
        { mine: 'cachette', against: 'koa-cash', min: 1.1, label: 'Koa cachePage hits >= 1.1x koa-cash hits' },
        { mine: 'cachette', against: 'static', min: 1.0, label: 'Koa cachePage hits >= 1.0x a prebuilt-body route' },
      ],
    },
    nestGroup('express'),
    nestGroup('fastify'),
    {
      id: 'node',
      title: `node:http ${process.version}, no framework`,
      file: 'node-server.ts',
      servers: [
        { variant: 'static', name: '`writeHead` + `end` of a prebuilt Buffer (the machine floor)', role: 'floor' },
        { variant: 'cachette', name: 'the core page cache alone (`hit`, else `begin`), hits', role: 'cachette', hitHeader: age },
      ],
      targets: [
        { mine: 'cachette', against: 'static', min: 0.8, label: 'node:http + core page cache hits >= 0.8x a bare prebuilt-body server' },
      ],
    },
  ];
}

function envNumber(name: string, fallback: number, integer = false): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

/** `1kb:100,200kb:1` → shapes; sizes in b / kb (1,024 bytes). */
function parseShapes(text: string): Shape[] {
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)\s*(kb|b)\s*:\s*(\d+)\s*$/i.exec(part);
    if (!m) throw new Error(`BENCH_PAGES_SHAPES: ${JSON.stringify(part)} is not <size>kb:<pages>, e.g. 20kb:100`);
    const bytes = Number(m[1]) * ((m[2] as string).toLowerCase() === 'kb' ? 1024 : 1);
    return { bodyBytes: bytes, pages: Number(m[3]) };
  });
}

const log = (text: string) => process.stderr.write(`[bench:pages] ${text}\n`);

/**
 * Before measuring: the page is the expected one; for a cache, a first request renders (the
 * handler runs once) and the next ones are hits (the handler does not run again, the hit header
 * shows); then every other page of the shape is rendered once. Returns what showed the hit.
 */
async function verify(server: RunningServer, def: ServerDef, name: string, body: string, pages: number): Promise<string | undefined> {
  const get = async (n: number) => {
    const response = await fetch(server.url + pagePath(n));
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${name}: GET ${pagePath(n)} answered ${response.status}`);
    if (text !== body) throw new Error(`${name}: the body is not the expected page (${text.length} bytes: ${text.slice(0, 80)}…)`);
    if (!/^application\/json/.test(response.headers.get('content-type') ?? '')) {
      throw new Error(`${name}: content-type ${response.headers.get('content-type')}`);
    }
    return response;
  };
  const before = await server.handlerCalls();
  await get(0);
  const rendered = await server.handlerCalls();
  if (rendered !== before + 1) throw new Error(`${name}: the handler ran ${rendered - before}× for one request`);
  if (def.role === 'floor' || def.role === 'reference') return undefined;
  // a cache may store after the response is sent: allow it a few requests to show a hit
  let hit: Response | undefined;
  for (let attempt = 0; attempt < 5 && hit === undefined; attempt++) {
    const callsBefore = await server.handlerCalls();
    const response = await get(0);
    if ((await server.handlerCalls()) === callsBefore) hit = response;
  }
  if (!hit) throw new Error(`${name}: the handler still runs after 5 requests; the page is not cached`);
  // every other page rendered once, 8 at a time
  for (let n = 1; n < pages; n += 8) await Promise.all(Array.from({ length: Math.min(8, pages - n) }, (_, i) => get(n + i)));
  const hits = 20;
  const stable = await server.handlerCalls();
  for (let i = 0; i < hits; i++) await get(Math.floor((i * pages) / hits));
  if ((await server.handlerCalls()) !== stable) throw new Error(`${name}: the handler ran again on a later request`);
  const header = def.hitHeader;
  if (header) {
    const value = hit.headers.get(header.name);
    if (value === null || !header.value.test(value))
      throw new Error(`${name}: a hit has no \`${header.name}\` header matching ${header.value}`);
    return `\`${header.name}: ${value}\`, and the handler did not run for ${hits + 1} requests`;
  }
  return `the handler did not run for ${hits + 1} requests (no hit header: ${def.role === 'peer' ? 'this library sets none' : 'none configured'})`;
}

interface Tally {
  runs: LoadRun[];
  handlerCalls: number;
  /** Server CPU time (µs) during the measured runs. */
  cpuUs: number;
  hitEvidence: string | undefined;
}

async function runGroup(def: GroupDef, shape: Shape, body: string, settings: Settings): Promise<GroupResult> {
  const servers: RunningServer[] = [];
  const shapeDir = `${Math.round(shape.bodyBytes / 1024)}kb-${shape.pages}`;
  const paths = Array.from({ length: shape.pages }, (_, n) => pagePath(n));
  try {
    for (const s of def.servers) {
      const name = `${def.id}-${s.variant}`;
      servers.push(
        await startServer({
          file: def.file,
          variant: s.variant,
          args: def.args,
          env: { BENCH_PAGES_BODY_BYTES: String(shape.bodyBytes) },
          name,
          cpuProfDir: settings.cpuProfDir ? join(settings.cpuProfDir, shapeDir) : undefined,
        }),
      );
    }
    const tallies: Tally[] = [];
    for (const [i, s] of def.servers.entries()) {
      const hitEvidence = await verify(servers[i] as RunningServer, s, `${def.id}/${s.variant}`, body, shape.pages);
      tallies.push({ runs: [], handlerCalls: 0, cpuUs: 0, hitEvidence });
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const [i, s] of def.servers.entries()) {
        const server = servers[i] as RunningServer;
        const tally = tallies[i] as Tally;
        const url = server.url + pagePath(0);
        log(`${shapeName(shape)} ${def.id}/${s.variant}: round ${round + 1}/${settings.rounds}`);
        const before = await server.stats();
        await runLoad(url, { connections: settings.connections, durationS: settings.warmupS, paths });
        // a profile covers what is measured: never the start-up, the renders that filled the cache or the first warm-up
        if (round === 0) server.profile();
        const measuring = await server.stats();
        const run = await runLoad(url, { connections: settings.connections, durationS: settings.durationS, paths });
        const after = await server.stats();
        tally.handlerCalls += after.handlerCalls - before.handlerCalls;
        tally.cpuUs += after.cpuUs - measuring.cpuUs;
        tally.runs.push(run);
      }
    }
    return {
      id: def.id,
      title: def.title,
      servers: def.servers.map((s, i) => summarize(s, tallies[i] as Tally)),
      targets: def.targets,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

function summarize(def: ServerDef, tally: Tally): ServerResult {
  const { runs } = tally;
  const sum = (pick: (r: LoadRun) => number) => runs.reduce((acc, r) => acc + pick(r), 0);
  const latencies = Float64Array.from(runs.flatMap((r) => r.latenciesMs)).sort();
  const requests = sum((r) => r.requests);
  return {
    id: def.variant,
    name: def.name,
    role: def.role,
    roundsRps: runs.map((r) => r.rps),
    rps: sum((r) => r.rps) / runs.length,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    requests,
    bytesPerResponse: sum((r) => r.bytesPerResponse * r.requests) / Math.max(1, requests),
    handlerCalls: tally.handlerCalls,
    cpuUsPerRequest: tally.cpuUs / Math.max(1, requests),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    hitEvidence: tally.hitEvidence,
  };
}

interface Settings {
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  only: Set<string> | undefined;
  shapes: Shape[];
  cpuProfDir: string | undefined;
}

async function run(settings: Settings): Promise<PagesRun> {
  const cpu = cpus();
  const loadAtStart = loadavg()[0] ?? 0;
  const selected = groups().filter((g) => settings.only === undefined || settings.only.has(g.id));
  if (selected.length === 0) throw new Error('BENCH_PAGES_ONLY selects no group (express, koa, nest, nest-fastify, node)');
  const shapes: ShapeResult[] = [];
  for (const shape of settings.shapes) {
    const body = JSON.stringify(buildPage(shape.bodyBytes));
    const results: GroupResult[] = [];
    for (const [i, def] of selected.entries()) {
      log(`${shapeName(shape)} (${Buffer.byteLength(body)}-byte body): ${i + 1}/${selected.length} ${def.title}`);
      results.push(await runGroup(def, shape, body, settings));
    }
    shapes.push({ shape, groups: results });
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    load: `1-min load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end (the load generator, the server and any other work share these ${cpu.length} cores)`,
    settings: [
      `load: autocannon ${version('autocannon')} in the bench process, ${settings.connections} connections, no pipelining, GET /catalogue/<n>, the shape's pages asked in turn across all connections; each server a child process of its own (\`node --import tsx\`, NODE_ENV=production) on 127.0.0.1`,
      `per shape, server and round: ${settings.warmupS} s warm-up run, then ${settings.durationS} s measured; ${settings.rounds} rounds, servers of a group interleaved (A B C A B C…); req/s = mean of the rounds; p50/p99 over every response of all rounds (hrtime per response, not autocannon's whole-ms histogram)`,
      "server CPU / req: the server process's user + system CPU time during the measured runs ÷ responses (less sensitive to the load generator than req/s, but contention on the 2 cores inflates it too)",
      'cached servers: every page is rendered once and hits checked before measuring; "handler calls in runs" counts the route handler during warm-ups and measured runs (must be 0 for caches); cachette servers store in one memory tier of 50,000 entries / 1 GB',
      ...(settings.cpuProfDir ? [`**profiled run** (--cpu-prof into ${settings.cpuProfDir}): numbers are skewed by the profiler`] : []),
    ],
    shapes,
  };
}

async function main(): Promise<void> {
  const settings: Settings = {
    connections: envNumber('BENCH_PAGES_CONNECTIONS', 10, true),
    durationS: envNumber('BENCH_PAGES_DURATION', 3),
    warmupS: envNumber('BENCH_PAGES_WARMUP', 1),
    rounds: envNumber('BENCH_PAGES_ROUNDS', 4, true),
    only: process.env.BENCH_PAGES_ONLY ? new Set(process.env.BENCH_PAGES_ONLY.split(',').map((s) => s.trim())) : undefined,
    shapes: parseShapes(process.env.BENCH_PAGES_SHAPES ?? '1kb:1,1kb:100,1kb:10000,20kb:100,200kb:100'),
    cpuProfDir: process.env.BENCH_PAGES_CPU_PROF ? resolve(process.env.BENCH_PAGES_CPU_PROF) : undefined,
  };
  if (settings.cpuProfDir) mkdirSync(settings.cpuProfDir, { recursive: true });
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the servers`);
    void stopAllServers().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const report = renderReport(await run(settings));
    // a profiled run's numbers are skewed: they go beside the profiles, never into results/
    const target = settings.cpuProfDir ? join(settings.cpuProfDir, 'pages.md') : REPORT;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, report);
    process.stdout.write(`${report}\nwritten to ${target}\n`);
  } finally {
    await stopAllServers();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
