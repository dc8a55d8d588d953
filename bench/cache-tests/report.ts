import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The reverse proxies the suite publishes results for, by their results file. */
const PUBLISHED: ReadonlyArray<readonly [file: string, name: string]> = [
  ['squid.json', 'Squid'],
  ['trafficserver.json', 'ATS'],
  ['apache.json', 'httpd'],
  ['varnish.json', 'Varnish'],
  ['nginx.json', 'nginx'],
];

interface SuiteTest {
  id: string;
  kind?: 'required' | 'optimal' | 'check';
  browser_only?: boolean;
}
interface SuiteGroup {
  id: string;
  name: string;
  tests: SuiteTest[];
}

/** Passes out of a total, for the whole suite or one group. */
export interface Score {
  passed: number;
  total: number;
}

/** One group of the suite: cachette's score, the published ones, and the ids cachette fails. */
export interface GroupReport {
  id: string;
  name: string;
  cachette: Score;
  published: Record<string, number>;
  failing: string[];
}

/** What a run measured: written to bench/results as JSON. */
export interface Report {
  suite: string;
  date: string;
  node: string;
  /** A test passes when its result is `true`, as on cache-tests.fyi; browser-only tests are left out. */
  total: Score;
  required: Score;
  published: Record<string, { total: number; required: number }>;
  groups: GroupReport[];
  results: Record<string, unknown>;
}

const isRequired = (test: SuiteTest) => test.kind === undefined || test.kind === 'required';

/** Scores the client's results by group, beside the published results of the same suite snapshot. */
export async function summarize(dir: string, results: Record<string, unknown>, suite: string): Promise<Report> {
  const load = async (file: string) => (await import(pathToFileURL(join(dir, 'tests', file)).href)).default;
  const groups = [...((await load('index.mjs')) as SuiteGroup[])];
  // The npm release's CLI adds its Surrogate-Control group to the index.
  if (existsSync(join(dir, 'cli.mjs')) && existsSync(join(dir, 'tests', 'surrogate-control.mjs'))) {
    groups.push((await load('surrogate-control.mjs')) as SuiteGroup);
  }
  const published = new Map<string, Record<string, unknown>>();
  for (const [file, name] of PUBLISHED) {
    const path = join(dir, 'results', file);
    if (existsSync(path)) published.set(name, JSON.parse(readFileSync(path, 'utf8')));
  }
  const proxyTests = (group: SuiteGroup) => group.tests.filter((test) => test.browser_only !== true);
  const count = (tests: SuiteTest[], of: Record<string, unknown>) => tests.filter((test) => of[test.id] === true).length;
  const all = groups.flatMap(proxyTests);
  return {
    suite,
    date: new Date().toISOString(),
    node: process.version,
    total: { passed: count(all, results), total: all.length },
    required: { passed: count(all.filter(isRequired), results), total: all.filter(isRequired).length },
    published: Object.fromEntries(
      [...published].map(([name, of]) => [name, { total: count(all, of), required: count(all.filter(isRequired), of) }]),
    ),
    groups: groups.map((group) => {
      const tests = proxyTests(group);
      return {
        id: group.id,
        name: group.name,
        cachette: { passed: count(tests, results), total: tests.length },
        published: Object.fromEntries([...published].map(([name, of]) => [name, count(tests, of)])),
        failing: tests.filter((test) => results[test.id] !== true).map((test) => test.id),
      };
    }),
    results,
  };
}

/** The rows of the table: a header, one row per group, then the totals. */
function rows(report: Report): string[][] {
  const names = Object.keys(report.published);
  const out = [['group', 'cachette', ...names]];
  for (const group of report.groups) {
    out.push([
      group.name,
      `${group.cachette.passed}/${group.cachette.total}`,
      ...names.map((name) => String(group.published[name] ?? '-')),
    ]);
  }
  out.push([
    'all tests',
    `${report.total.passed}/${report.total.total}`,
    ...names.map((name) => String(report.published[name]?.total ?? '-')),
  ]);
  out.push([
    'required tests',
    `${report.required.passed}/${report.required.total}`,
    ...names.map((name) => String(report.published[name]?.required ?? '-')),
  ]);
  return out;
}

/** The table on the console, one row per group, then the totals. */
export function printReport(report: Report): void {
  console.log(`\n${report.suite}, ${report.date}, Node ${report.node}\n`);
  for (const [label = '', ...cells] of rows(report)) {
    console.log(`${label.slice(0, 34).padEnd(34)} ${cells.map((cell, i) => cell.padStart(i === 0 ? 9 : 8)).join(' ')}`);
  }
}

/** The same table in Markdown, for bench/results. */
export function markdownReport(report: Report): string {
  const [head = [], ...body] = rows(report);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `# HTTP cache test suite: cachette (examples/caching-proxy) beside the published reverse proxies`,
    '',
    `${report.suite}, ${report.date}, Node ${report.node}. A test passes when its result is \`true\`; browser-only tests are left out.`,
    '',
    line(head),
    line(head.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...body.map(line),
    '',
  ].join('\n');
}
