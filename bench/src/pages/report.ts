/** The page bench's results, its targets and its markdown report. */

/** `reference`: an uncached route shown for comparison, in no target. */
export type Role = 'floor' | 'reference' | 'cachette' | 'peer';

/** One server of one framework group. */
export interface ServerResult {
  id: string;
  name: string;
  role: Role;
  /** Requests per second of each measured round, in order. */
  roundsRps: number[];
  /** Mean of the rounds. */
  rps: number;
  /** Over every 2xx response of all rounds, ms. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  bytesPerResponse: number;
  /** The server process's CPU time (user + system) per response of the measured runs, µs. */
  cpuUsPerRequest: number;
  /** Times the route handler ran during warm-ups and measured runs. */
  handlerCalls: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** How a hit was recognised before measuring (cache variants). */
  hitEvidence: string | undefined;
}

export interface GroupResult {
  id: 'express' | 'koa' | 'nest';
  title: string;
  servers: ServerResult[];
}

export interface PagesRun {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  load: string;
  settings: string[];
  groups: GroupResult[];
}

export interface Verdict {
  pass: boolean;
  text: string;
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ratio = (x: number) => `${x.toFixed(2)}×`;
const ms = (x: number) => `${x.toFixed(2)} ms`;

function byRole(group: GroupResult, role: Role): ServerResult {
  const found = group.servers.find((s) => s.role === role);
  if (!found) throw new Error(`${group.id}: no ${role} server`);
  return found;
}

function group(run: PagesRun, id: GroupResult['id']): GroupResult | undefined {
  return run.groups.find((g) => g.id === id);
}

/** Why a cached server's numbers do not measure hits, if they do not. */
function invalid(server: ServerResult): string | undefined {
  const problems: string[] = [];
  if ((server.role === 'cachette' || server.role === 'peer') && server.handlerCalls > 0)
    problems.push(`handler ran ${server.handlerCalls}× during the runs`);
  if (server.non2xx > 0) problems.push(`${server.non2xx} non-2xx`);
  if (server.errors > 0 || server.timeouts > 0) problems.push(`${server.errors} errors, ${server.timeouts} timeouts`);
  return problems.length > 0 ? `${server.name}: ${problems.join(', ')}` : undefined;
}

/** The targets against this run. Reported, never asserted. */
export function verdicts(run: PagesRun): Verdict[] {
  const out: Verdict[] = [];
  const check = (g: GroupResult, cachetteName: string, against: Role, min: number, label: string) => {
    const mine = byRole(g, 'cachette');
    const other = byRole(g, against);
    const x = mine.rps / other.rps;
    const problems = [invalid(mine), invalid(other)].filter((p) => p !== undefined);
    const note = problems.length > 0 ? ` (run not valid: ${problems.join('; ')})` : '';
    out.push({ pass: x >= min && problems.length === 0, text: `${cachetteName} >= ${min}x ${label}: ${ratio(x)}${note}` });
  };
  const express = group(run, 'express');
  if (express) {
    check(express, "Express cachePage('15m') hits", 'floor', 0.85, 'static route');
    check(express, "Express cachePage('15m') hits", 'peer', 1.3, "apicache middleware('15 minutes') hits");
  }
  const koa = group(run, 'koa');
  if (koa) {
    check(koa, "Koa cachePage('15m') hits", 'floor', 0.85, 'static route');
    check(koa, "Koa cachePage('15m') hits", 'peer', 1.3, 'koa-cash hits');
  }
  const nest = group(run, 'nest');
  if (nest) check(nest, "Nest @CachePage('15m') hits", 'peer', 1.2, '@nestjs/cache-manager CacheInterceptor hits');
  return out;
}

export function renderReport(run: PagesRun): string {
  const lines = [
    '# cachette page-cache benchmark (HTTP, under load)',
    '',
    `- date: ${run.date}`,
    `- node: ${run.node}`,
    `- cpu: ${run.cpu} × ${run.cores} cores`,
    `- ${run.load}`,
    ...run.settings.map((s) => `- ${s}`),
    '',
  ];
  run.groups.forEach((g, i) => {
    const floor = byRole(g, 'floor');
    const mine = byRole(g, 'cachette');
    lines.push(
      `## ${i + 1}. ${g.title}`,
      '',
      '| server | req/s (mean) | rounds | p50 | p99 | × floor | cachette ÷ this | server CPU / req | bytes / resp | handler calls in runs |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...g.servers.map(
        (s) =>
          `| ${s.name} | ${int.format(s.rps)} | ${s.roundsRps.map((r) => int.format(r)).join(' / ')} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ratio(s.rps / floor.rps)} | ${ratio(mine.rps / s.rps)} | ${Math.round(s.cpuUsPerRequest)} µs | ${int.format(s.bytesPerResponse)} | ${int.format(s.handlerCalls)} |`,
      ),
      '',
    );
    const evidence = g.servers.filter((s) => s.hitEvidence !== undefined).map((s) => `- ${s.name}: ${s.hitEvidence}`);
    const problems = g.servers.map(invalid).filter((p) => p !== undefined);
    if (evidence.length > 0) lines.push('Hits checked before measuring:', '', ...evidence, '');
    if (problems.length > 0) lines.push('**Problems:**', '', ...problems.map((p) => `- ${p}`), '');
  });
  lines.push(
    '## Targets (reported, not asserted)',
    '',
    '```',
    ...verdicts(run).map((v) => `${v.pass ? 'PASS' : 'FAIL'} ${v.text}`),
    '```',
    '',
  );
  return lines.join('\n');
}
