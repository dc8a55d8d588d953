import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadReports } from '../.vitepress/bench.data.js';
import { parseCell, parseMarkdownReport } from '../.vitepress/bench-report.js';

describe('the benchmarks page data', () => {
  const reports = loadReports();

  it('reads every report in bench/results, each with its machine, date and charts', () => {
    expect(reports.map((r) => r.name)).toEqual(expect.arrayContaining(['engine', 'pages']));
    for (const report of reports) {
      expect(report.machine).not.toBe('');
      expect(Number.isNaN(Date.parse(report.date))).toBe(false);
      expect(report.charts.length).toBeGreaterThan(0);
      for (const chart of report.charts) expect(chart.bars.length).toBeGreaterThan(0);
    }
  });

  it('takes each bar from the table cell it charts', () => {
    const pages = reports.find((r) => r.name === 'pages');
    const text = readFileSync(new URL('../../bench/results/pages.md', import.meta.url), 'utf8');
    for (const bar of pages?.charts.flatMap((c) => c.bars) ?? []) {
      expect(text).toContain(`| ${bar.text} |`);
      expect(bar.value).toBe(parseCell(bar.text)?.value);
    }
  });

  it('parses numbers with thousands separators and time units into milliseconds', () => {
    expect(parseCell('6,885')).toEqual({ value: 6885, unit: '' });
    expect(parseCell('54.8 µs')?.value).toBeCloseTo(0.0548);
    expect(parseCell('24.8 ms')).toEqual({ value: 24.8, unit: 'ms' });
    expect(parseCell('62.2%')).toBeUndefined();
  });

  it('charts the throughput column when a table has one, and says higher is better', () => {
    const report = parseMarkdownReport(
      'x',
      '# t\n\n- date: 2026-01-01T00:00:00Z\n- cpu: c\n\n## 1. A\n\n| server | req/s (mean) | p50 |\n|---|---:|---:|\n| a | 1,000 | 1 ms |\n| b | 2,000 | 2 ms |\n',
    );
    expect(report.charts).toEqual([
      {
        title: '1. A',
        measure: 'req/s (mean)',
        better: 'higher',
        unit: '',
        bars: [
          { label: 'a', value: 1000, text: '1,000' },
          { label: 'b', value: 2000, text: '2,000' },
        ],
      },
    ]);
  });
});
