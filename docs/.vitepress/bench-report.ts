/**
 * Reads the benchmark reports in bench/results/ into charts: every table becomes one chart of
 * its main measure, with the machine and the date of the run it came from. Numbers are read
 * from the files at build time, never typed into the docs.
 */

/** One bar: a row of a results table and its value in the table's unit. */
export interface BenchBar {
  label: string;
  value: number;
  text: string;
}

export interface BenchChart {
  title: string;
  measure: string;
  /** `higher` for throughput (req/s, ops/s), `lower` for times. */
  better: 'higher' | 'lower';
  unit: string;
  bars: BenchBar[];
}

export interface BenchReport {
  /** The file name without extension: `engine`, `pages`. */
  name: string;
  title: string;
  date: string;
  machine: string;
  node: string;
  notes: string[];
  charts: BenchChart[];
}

/** Columns charted, in order of preference, and which way is better. */
const MEASURES: Array<{ match: RegExp; better: 'higher' | 'lower' }> = [
  { match: /^req\/s/, better: 'higher' },
  { match: /^ops\/s$/, better: 'higher' },
  { match: /^wall time$/, better: 'lower' },
  { match: /^mean$/, better: 'lower' },
];

const TIME_UNITS: Record<string, number> = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000 };

/** `'6,885'` → 6885; `'54.8 µs'` → 0.0548 (ms); anything else → undefined. */
export function parseCell(text: string): { value: number; unit: string } | undefined {
  const m = /^([\d,]+(?:\.\d+)?)\s*(ns|µs|us|ms|s)?$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1].replace(/,/g, ''));
  if (!Number.isFinite(n)) return undefined;
  const unit = m[2];
  return unit ? { value: n * (TIME_UNITS[unit] ?? 1), unit: 'ms' } : { value: n, unit: '' };
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

const plain = (text: string) => text.replace(/`/g, '').replace(/\*\*/g, '');

/** One chart from a markdown table, or undefined when it has no measure to chart. */
function chartOf(title: string, lines: string[]): BenchChart | undefined {
  const [head, , ...rows] = lines;
  if (!head) return undefined;
  const columns = cells(head);
  for (const { match, better } of MEASURES) {
    const col = columns.findIndex((c) => match.test(c));
    if (col < 1) continue;
    const bars: BenchBar[] = [];
    let unit = '';
    for (const row of rows) {
      const values = cells(row);
      const parsed = parseCell(values[col] ?? '');
      if (!parsed) continue;
      unit = parsed.unit;
      bars.push({ label: plain(values[0] ?? ''), value: parsed.value, text: values[col] ?? '' });
    }
    if (bars.length > 0) return { title, measure: columns[col] ?? '', better, unit, bars };
  }
  return undefined;
}

/** A report from the markdown bench/src writes: `- date:`, `- node:`, `- cpu:` bullets, `## n. title` tables. */
export function parseMarkdownReport(name: string, text: string): BenchReport {
  const lines = text.split('\n');
  const bullet = (key: string) =>
    lines
      .find((l) => l.startsWith(`- ${key}:`))
      ?.slice(key.length + 3)
      .trim() ?? '';
  const report: BenchReport = {
    name,
    title: (lines.find((l) => l.startsWith('# ')) ?? name).replace(/^# /, ''),
    date: bullet('date'),
    machine: bullet('cpu'),
    node: bullet('node'),
    notes: lines.filter((l) => l.startsWith('- ') && !/^- (date|node|cpu):/.test(l)).map((l) => l.slice(2)),
    charts: [],
  };
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('## ')) section = plain(line.slice(3));
    if (line.startsWith('|') && (lines[i + 1] ?? '').startsWith('|---')) {
      const table: string[] = [];
      while ((lines[i] ?? '').startsWith('|')) table.push(lines[i++] ?? '');
      const chart = chartOf(section, table);
      if (chart) report.charts.push(chart);
    }
  }
  return report;
}

/** A report a benchmark wrote as JSON, in the shape of `BenchReport`; checked, not trusted. */
export function parseJsonReport(name: string, text: string): BenchReport {
  const data = JSON.parse(text) as Partial<BenchReport>;
  if (typeof data.date !== 'string' || typeof data.machine !== 'string' || !Array.isArray(data.charts)) {
    throw new Error(`[cachette:docs] bench/results/${name}.json: needs date, machine and charts (see docs/.vitepress/bench-report.ts)`);
  }
  return { name, title: data.title ?? name, node: data.node ?? '', notes: data.notes ?? [], ...data } as BenchReport;
}
