/** The page bench's results, its targets and its markdown report. */

/** `floor`: what a cache is compared with (a prebuilt body); `reference`: shown, in no target. */
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

/** One of the issue's targets: server `mine` makes at least `min` × the req/s of server `against`. */
export interface TargetDef {
  mine: string;
  against: string;
  min: number;
  label: string;
}

export interface GroupResult {
  id: string;
  title: string;
  servers: ServerResult[];
  targets: readonly TargetDef[];
}

/** A page shape: the body size and how many distinct pages the load asks for in turn. */
export interface Shape {
  bodyBytes: number;
  pages: number;
}

export interface ShapeResult {
  shape: Shape;
  groups: GroupResult[];
}

export interface PagesRun {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  load: string;
  settings: string[];
  shapes: ShapeResult[];
}

export interface Verdict {
  pass: boolean;
  label: string;
  /** req/s, the median of the rounds' ratios. */
  ratio: number;
  /** Server CPU per response, the other server's ÷ cachette's (≥ 1: cachette spends less). */
  cpuRatio: number;
  text: string;
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ratio = (x: number) => `${x.toFixed(2)}×`;
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** `1 kB × 100 pages` */
export function shapeName(shape: Shape): string {
  const size = shape.bodyBytes >= 1024 ? `${Math.round(shape.bodyBytes / 1024)} kB` : `${shape.bodyBytes} B`;
  return `${size} × ${int.format(shape.pages)} page${shape.pages === 1 ? '' : 's'}`;
}

function server(group: GroupResult, id: string): ServerResult {
  const found = group.servers.find((s) => s.id === id);
  if (!found) throw new Error(`${group.id}: no server ${id}`);
  return found;
}

/** Why a cached server's numbers do not measure hits, if they do not. */
function invalid(s: ServerResult): string | undefined {
  const problems: string[] = [];
  if ((s.role === 'cachette' || s.role === 'peer') && s.handlerCalls > 0) problems.push(`handler ran ${s.handlerCalls}× during the runs`);
  if (s.non2xx > 0) problems.push(`${s.non2xx} non-2xx`);
  if (s.errors > 0 || s.timeouts > 0) problems.push(`${s.errors} errors, ${s.timeouts} timeouts`);
  return problems.length > 0 ? `${s.name}: ${problems.join(', ')}` : undefined;
}

/**
 * The issue's targets in one group of one shape. Reported, never asserted. The ratio is the median
 * of the rounds' ratios (round r of `mine` against round r of `against`, run next to each other),
 * so that load that comes and goes on a shared machine weighs on both sides of each ratio; the
 * server CPU per response (`against` ÷ `mine`, ≥ 1 when cachette spends less) is shown beside it.
 */
export function verdicts(group: GroupResult): Verdict[] {
  return group.targets.map((t) => {
    const mine = server(group, t.mine);
    const other = server(group, t.against);
    const x = pairedRatio(mine.roundsRps, other.roundsRps);
    const cpu = other.cpuUsPerRequest / mine.cpuUsPerRequest;
    const problems = [invalid(mine), invalid(other)].filter((p) => p !== undefined);
    const note = problems.length > 0 ? ` (run not valid: ${problems.join('; ')})` : '';
    return {
      pass: x >= t.min && problems.length === 0,
      label: t.label,
      ratio: x,
      cpuRatio: cpu,
      text: `${t.label}: ${ratio(x)} (CPU per response ${ratio(cpu)})${note}`,
    };
  });
}

/** The median of `mine[r] / other[r]` over the rounds. */
function pairedRatio(mine: readonly number[], other: readonly number[]): number {
  const ratios = mine.map((rps, r) => rps / (other[r] as number)).sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  return ratios.length % 2 === 1 ? (ratios[mid] as number) : ((ratios[mid - 1] as number) + (ratios[mid] as number)) / 2;
}

function groupSection(g: GroupResult): string[] {
  const floor = g.servers.find((s) => s.role === 'floor') ?? (g.servers[0] as ServerResult);
  const lines = [
    `### ${g.title}`,
    '',
    '| server | req/s (mean) | rounds | p50 | p99 | × floor | server CPU / req | bytes / resp | handler calls in runs |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...g.servers.map(
      (s) =>
        `| ${s.name} | ${int.format(s.rps)} | ${s.roundsRps.map((r) => int.format(r)).join(' / ')} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ratio(s.rps / floor.rps)} | ${Math.round(s.cpuUsPerRequest)} µs | ${int.format(s.bytesPerResponse)} | ${int.format(s.handlerCalls)} |`,
    ),
    '',
  ];
  const evidence = g.servers.filter((s) => s.hitEvidence !== undefined).map((s) => `- ${s.name}: ${s.hitEvidence}`);
  const problems = g.servers.map(invalid).filter((p) => p !== undefined);
  if (evidence.length > 0) lines.push('Hits checked before measuring:', '', ...evidence, '');
  if (problems.length > 0) lines.push('**Problems:**', '', ...problems.map((p) => `- ${p}`), '');
  return lines;
}

/** Every target (rows) in every shape (columns): the ratio and PASS/FAIL. */
function summary(run: PagesRun): string[] {
  const labels: string[] = [];
  const cells = new Map<string, string>();
  run.shapes.forEach((shape, i) => {
    for (const g of shape.groups) {
      for (const v of verdicts(g)) {
        if (!labels.includes(v.label)) labels.push(v.label);
        cells.set(`${v.label}\n${i}`, `${ratio(v.ratio)} ${v.pass ? 'PASS' : 'FAIL'} (CPU ${ratio(v.cpuRatio)})`);
      }
    }
  });
  return [
    `| target | ${run.shapes.map((s) => shapeName(s.shape)).join(' | ')} |`,
    `|---|${run.shapes.map(() => '---:').join('|')}|`,
    ...labels.map((label) => `| ${label} | ${run.shapes.map((_, i) => cells.get(`${label}\n${i}`) ?? '—').join(' | ')} |`),
  ];
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
    '## Targets of issue 7 (reported, not asserted)',
    '',
    "req/s ratio: the median over the rounds of each round's ratio (the two servers ran one after the other); in brackets, server CPU per response, the other's ÷ cachette's (≥ 1: cachette spends less).",
    '',
    ...summary(run),
    '',
  ];
  run.shapes.forEach((shape, i) => {
    lines.push(`## ${i + 1}. ${shapeName(shape.shape)}`, '');
    for (const g of shape.groups) lines.push(...groupSection(g));
    lines.push('```', ...shape.groups.flatMap((g) => verdicts(g).map((v) => `${v.pass ? 'PASS' : 'FAIL'} ${v.text}`)), '```', '');
  });
  return lines.join('\n');
}
