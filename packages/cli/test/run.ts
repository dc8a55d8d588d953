import { main } from '../src/index.js';

/** The outcome of one `cachette` run in this process. */
export interface Run {
  code: number;
  out: string;
  err: string;
  /** stdout parsed, for `--json` runs. */
  json(): Record<string, unknown>;
}

/** Runs `cachette <argv>` in-process with captured stdout and stderr. */
export async function cachette(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
  return { code, out, err, json: () => JSON.parse(out) as Record<string, unknown> };
}
