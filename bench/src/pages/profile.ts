/**
 * Where a page-bench server spent its time: reads a V8 `.cpuprofile` (from
 * `BENCH_PAGES_CPU_PROF=dir`), maps the workspace packages' dist frames back to their sources
 * through the dist source maps, and prints self and inclusive time per function and per file.
 * Given a server's profile directory, reads its main thread's profile (tid 0; tsx's loader
 * thread writes another) and, from `requests.txt`, prints time per request. Read it before the
 * packages are rebuilt: the source maps must be those of the profiled build.
 *
 *   tsx src/pages/profile.ts /tmp/prof/koa-cachette [top=30]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const maps = new Map<string, SourceMap | undefined>();

let profiledAt = Number.POSITIVE_INFINITY;

function sourceMapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    const exists = existsSync(mapFile);
    // a rebuild after the profile moves the code: the lines would point at the wrong source
    if (exists && statSync(mapFile).mtimeMs > profiledAt) {
      console.warn(`warning: ${relative(REPO, mapFile)} was rebuilt after the profile; source lines from it are wrong`);
    }
    maps.set(file, exists ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
  }
  return maps.get(file);
}

/** `packages/core/src/page/x.ts:12 fn` for workspace code, `node_modules/<pkg> fn` for deps, `(node) fn` for internals. */
function locate(frame: CallFrame): { fn: string; file: string } {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return { fn: `${fn}`, file: '(native / VM)' };
  if (frame.url.startsWith('node:')) return { fn: `${fn} ${frame.url}:${frame.lineNumber + 1}`, file: '(node internals)' };
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return { fn: `${fn} (${pkg[1]})`, file: `node_modules/${pkg[1]}` };
  const map = path.includes('/dist/') ? sourceMapOf(path) : undefined;
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource) {
    const source = relative(REPO, resolve(dirname(path), entry.originalSource.replace(/^file:\/\//, '')));
    return { fn: `${fn} ${source}:${(entry.originalLine ?? 0) + 1}`, file: source };
  }
  const rel = relative(REPO, path);
  return { fn: `${fn} ${rel}:${frame.lineNumber + 1}`, file: rel };
}

/** The file itself, or the main thread's profile in a directory of one process's profiles. */
function profileFile(path: string): { file: string; requests: number | undefined } {
  if (!statSync(path).isDirectory()) return { file: path, requests: undefined };
  const counted = join(path, 'requests.txt');
  const requests = existsSync(counted) ? Number(readFileSync(counted, 'utf8')) : undefined;
  const main = readdirSync(path).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (main.length !== 1) throw new Error(`${path}: expected one main-thread profile (tid 0), found ${main.length}`);
  return { file: join(path, main[0] as string), requests };
}

function main(): void {
  const [arg, topArg] = process.argv.slice(2);
  if (!arg) throw new Error('usage: tsx src/pages/profile.ts <dir or file.cpuprofile> [top]');
  const { file, requests } = profileFile(arg);
  const top = Number(topArg ?? 30);
  profiledAt = statSync(file).mtimeMs;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const where = new Map(profile.nodes.map((n) => [n.id, locate(n.callFrame)]));
  const selfFn = new Map<string, number>();
  const totalFn = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const totalFile = new Map<string, number>();
  let all = 0;
  let idle = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  // start-up (module loading, tsx) is not what the bench measures: skip what precedes the first request
  const serving = new Set<number>();
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== 'parserOnIncoming') continue;
    const stack = [n.id];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      serving.add(at);
      stack.push(...(byId.get(at)?.children ?? []));
    }
  }
  const first = profile.samples.findIndex((id) => serving.has(id));
  let skipped = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    if (i < first) {
      skipped += dt;
      return;
    }
    all += dt;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') {
      if (name === '(idle)') idle += dt;
      add(selfFn, name, dt);
      add(selfFile, name, dt);
      return;
    }
    const here = where.get(id) as { fn: string; file: string };
    add(selfFn, here.fn, dt);
    add(selfFile, here.file, dt);
    const seenFn = new Set<string>();
    const seenFile = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const w = where.get(at) as { fn: string; file: string };
      if (!seenFn.has(w.fn)) {
        seenFn.add(w.fn);
        add(totalFn, w.fn, dt);
      }
      if (!seenFile.has(w.file)) {
        seenFile.add(w.file);
        add(totalFile, w.file, dt);
      }
    }
  });
  const busy = all - idle;
  // per request: over every request the process answered; start-up is skipped, the samples up to the first request are few
  const perRequest = (v: number) => (requests ? `${(v / requests).toFixed(1).padStart(6)} µs/req  ` : '');
  const pct = (v: number) => `${perRequest(v)}${((100 * v) / busy).toFixed(1).padStart(5)}%`;
  const print = (title: string, m: Map<string, number>, n: number) => {
    console.log(`\n## ${title} (% of busy time)`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(v)}  ${k}`);
  };
  console.log(
    `${file}: ${(skipped / 1e6).toFixed(1)} s of start-up skipped; then ${(all / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (not idle)`,
  );
  if (requests)
    console.log(`${requests} requests answered: ${(busy / requests).toFixed(1)} µs of busy CPU per request (profiler overhead included)`);
  selfFn.delete('(idle)');
  selfFile.delete('(idle)');
  print('self time by file', selfFile, 25);
  print('self time by function', selfFn, top);
  print('inclusive time by function', totalFn, top);
  print('inclusive time by file', totalFile, 25);
}

main();
