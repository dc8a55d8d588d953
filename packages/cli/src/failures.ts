import { ErrorReply } from '@redis/client';
import { CliError } from './errors.js';

/**
 * What failed on the way: the cache reports store failures as events and sends bus messages
 * without waiting, so the command collects both and judges them once its work is done.
 */
export class Failures {
  readonly #seen = new Set<unknown>();
  readonly #pending: Promise<unknown>[] = [];

  add(error: unknown): void {
    this.#seen.add(error);
  }

  /** Watches work the cache does not wait for (a bus message). */
  track(work: Promise<unknown>): void {
    this.#pending.push(work.catch((error: unknown) => this.add(error)));
  }

  /** Waits for tracked work; throws `E_FAILED` when Redis refused, `E_UNREACHABLE` when it was not there. */
  async settle(): Promise<void> {
    await Promise.all(this.#pending);
    if (this.#seen.size === 0) return;
    const failures = [...this.#seen];
    const why = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ');
    const refused = failures.every((f) => causes(f).some((c) => c instanceof ErrorReply));
    throw new CliError(refused ? 'E_FAILED' : 'E_UNREACHABLE', `not every step reached Redis: ${why}`, { cause: failures[0] });
  }
}

/** An error and its causes, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && chain.length < 10; e = (e as { cause?: unknown } | null)?.cause) chain.push(e);
  return chain;
}
