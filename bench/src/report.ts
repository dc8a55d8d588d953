import type { Latency, Throughput } from './measure.js';
import type { StampedeResult } from './scenarios/stampede.js';

/** Everything one run measured, and where. */
export interface RunResults {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  redis: string;
  load: string;
  settings: string;
  l1Get: Throughput[];
  l1GetOrSet: Throughput[];
  l2: Latency[];
  stampede: StampedeResult[];
}

/** One target of the issue, judged. Reported, never asserted. */
export interface Verdict {
  pass: boolean;
  text: string;
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ratio = (x: number) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
const ns = (x: number) => (x >= 1_000 ? `${(x / 1_000).toFixed(2)} µs` : `${x.toFixed(0)} ns`);
const us = (x: number) => `${x.toFixed(1)} µs`;

function byId<T extends { id: string }>(rows: readonly T[], id: string): T {
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error(`no result for ${id}`);
  return row;
}

/** The targets, against this run's numbers. */
export function verdicts(r: RunResults): Verdict[] {
  const get = (id: string) => byId(r.l1Get, id).opsPerSec;
  const gos = (id: string) => byId(r.l1GetOrSet, id).opsPerSec;
  const l2 = (id: string) => byId(r.l2, id);
  const check = (pass: boolean, text: string): Verdict => ({ pass, text });
  const getVsRaw = get('cachette') / get('lru-cache');
  const getVsBento = get('cachette') / get('bentocache');
  const getVsBentoJson = get('cachette') / get('bentocache-json');
  const gosVsBento = gos('cachette') / gos('bentocache');
  const gosVsBentoJson = gos('cachette') / gos('bentocache-json');
  const l2Mean = l2('cachette-redis').meanUs / l2('redis-client').meanUs;
  const l2P50 = l2('cachette-redis').p50Us / l2('redis-client').p50Us;
  const loads = byId(r.stampede, 'cachette').loaderCalls;
  const loadsL2 = byId(r.stampede, 'cachette-redis').loaderCalls;
  return [
    check(getVsRaw >= 0.5, `cachette L1 get >= 0.5x raw lru-cache: ${ratio(getVsRaw)}`),
    check(getVsBento >= 2, `cachette L1 get >= 2x bentocache (serialize: false): ${ratio(getVsBento)}`),
    check(getVsBentoJson >= 2, `cachette L1 get >= 2x bentocache (default, JSON L1): ${ratio(getVsBentoJson)}`),
    check(gosVsBento >= 2, `cachette L1 getOrSet >= 2x bentocache (serialize: false): ${ratio(gosVsBento)}`),
    check(gosVsBentoJson >= 2, `cachette L1 getOrSet >= 2x bentocache (default, JSON L1): ${ratio(gosVsBentoJson)}`),
    // judged on mean and p50 together: on a shared machine one burst can move a mean alone
    check(
      l2Mean <= 1.2 && l2P50 <= 1.2,
      `cachette L2 hit latency <= 1.2x raw @redis/client GET (mean and p50): mean ${ratio(l2Mean)}, p50 ${ratio(l2P50)}`,
    ),
    check(loads === 1 && loadsL2 === 1, `stampede loader calls = 1: cachette memory ${loads}, cachette redis tier ${loadsL2}`),
  ];
}

/** The whole report, in markdown. */
export function renderReport(r: RunResults): string {
  const raw = byId(r.l1Get, 'lru-cache').opsPerSec;
  const cGet = byId(r.l1Get, 'cachette').opsPerSec;
  const cGos = byId(r.l1GetOrSet, 'cachette').opsPerSec;
  const rawL2 = byId(r.l2, 'redis-client');
  const lines = [
    '# cachette engine benchmark',
    '',
    `- date: ${r.date}`,
    `- node: ${r.node}`,
    `- cpu: ${r.cpu} × ${r.cores} cores`,
    `- redis: ${r.redis}`,
    `- ${r.load}`,
    `- ${r.settings}`,
    '',
    '## 1. L1 hit, awaited `get` (1,000 keys, small JSON objects)',
    '',
    '| library | ops/s | mean / call | ± | × raw lru-cache | cachette ÷ this |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.l1Get.map(
      (t) =>
        `| ${t.name} | ${int.format(t.opsPerSec)} | ${ns(t.meanNs)} | ${t.rme.toFixed(1)}% | ${ratio(t.opsPerSec / raw)} | ${ratio(cGet / t.opsPerSec)} |`,
    ),
    '',
    '## 2. L1 hit through `getOrSet` (cache-manager: `wrap`)',
    '',
    '| library | ops/s | mean / call | ± | cachette ÷ this |',
    '|---|---:|---:|---:|---:|',
    ...r.l1GetOrSet.map(
      (t) => `| ${t.name} | ${int.format(t.opsPerSec)} | ${ns(t.meanNs)} | ${t.rme.toFixed(1)}% | ${ratio(cGos / t.opsPerSec)} |`,
    ),
    '',
    '## 3. L2 hit on Redis, sequential awaited calls',
    '',
    '| client | calls | mean | p50 | p99 | ops/s | mean ÷ raw GET | p99 ÷ raw GET |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.l2.map(
      (l) =>
        `| ${l.name} | ${int.format(l.samples)} | ${us(l.meanUs)} | ${us(l.p50Us)} | ${us(l.p99Us)} | ${int.format(l.opsPerSec)} | ${ratio(l.meanUs / rawL2.meanUs)} | ${ratio(l.p99Us / rawL2.p99Us)} |`,
    ),
    '',
    '## 4. Stampede: concurrent `getOrSet` on one cold key, loader takes 20 ms',
    '',
    '| library | callers | loader calls | callers answered | wall time |',
    '|---|---:|---:|---:|---:|',
    ...r.stampede.map(
      (s) => `| ${s.name} | ${int.format(s.callers)} | ${s.loaderCalls} | ${int.format(s.answered)} | ${s.wallMs.toFixed(1)} ms |`,
    ),
    '',
    '## Targets (reported, not asserted)',
    '',
    '```',
    ...verdicts(r).map((v) => `${v.pass ? 'PASS' : 'FAIL'} ${v.text}`),
    '```',
    '',
  ];
  return lines.join('\n');
}
