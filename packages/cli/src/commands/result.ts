import type { Session } from '../session.js';

/** What a command answers: data for `--json`, and the same in a few lines for people. */
export interface CommandResult {
  data: Record<string, unknown>;
  text: string;
}

/** A command of the `cachette` tool. */
export type Command = (session: Session) => Promise<CommandResult>;

/** `1 process` / `3 processes`. */
export function processes(n: number): string {
  return `${n} process${n === 1 ? '' : 'es'}`;
}
