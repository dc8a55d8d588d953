import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchReport, parseJsonReport, parseMarkdownReport } from './bench-report.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));

/** Every report in bench/results/: a `name.json` wins over the `name.md` of the same run. */
export function loadReports(dir = RESULTS): BenchReport[] {
  // A JSON file is a report when it says so (`"charts"`), a Markdown file when it has the bench
  // header (`- date:`, `- cpu:`); others are results of another kind (the cache-tests scores).
  const files = readdirSync(dir).filter(
    (f) => (f.endsWith('.json') && isReport(join(dir, f))) || (f.endsWith('.md') && hasBenchHeader(join(dir, f))),
  );
  const names = [...new Set(files.map((f) => basename(f, extname(f))))].sort();
  return names.map((name) => {
    const json = files.includes(`${name}.json`);
    const text = readFileSync(join(dir, json ? `${name}.json` : `${name}.md`), 'utf8');
    return json ? parseJsonReport(name, text) : parseMarkdownReport(name, text);
  });
}

function hasBenchHeader(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  return /^- date:/m.test(text) && /^- cpu:/m.test(text);
}

function isReport(file: string): boolean {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return typeof data === 'object' && data !== null && 'charts' in data;
}

export interface Data {
  reports: BenchReport[];
}

declare const data: Data;

export { data };

// VitePress data loader: runs at build time; the page imports `data`
export default {
  watchFiles: [`${RESULTS}*.md`, `${RESULTS}*.json`],
  load(): Data {
    return { reports: loadReports() };
  },
};
