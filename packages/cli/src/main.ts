import { InvalidOptionError } from '@cachette/core';
import { type CommandName, parseInvocation } from './args.js';
import { bumpVersion } from './commands/bump-version.js';
import { clear } from './commands/clear.js';
import { get } from './commands/get.js';
import { purge } from './commands/purge.js';
import type { Command } from './commands/result.js';
import { stats } from './commands/stats.js';
import { CliError, ExitCode } from './errors.js';
import { HELP } from './help.js';
import { openSession, type Session } from './session.js';
import { toJson } from './values.js';

/**
 * Where the command writes: `process` by default, anything with `write` in tests.
 *
 * @example
 * ```ts
 * let out = ''
 * await main(['stats', '--redis', url, '--json'], { stdout: { write: (t) => (out += t) }, stderr: process.stderr })
 * ```
 */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const COMMANDS: Record<Exclude<CommandName, 'help'>, Command> = { stats, get, purge, clear, 'bump-version': bumpVersion };

/**
 * Runs the `cachette` command line and resolves to its exit code (see {@link ExitCode}); it
 * never throws and never leaves a connection open. The `cachette` bin is this function.
 *
 * @example
 * ```ts
 * const code = await main(['purge', '--tag', 'product:1', '--redis', 'redis://127.0.0.1:6379', '--namespace', 'shop'])
 * process.exitCode = code
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = process): Promise<ExitCode> {
  let json = argv.includes('--json');
  let session: Session | undefined;
  try {
    const inv = parseInvocation(argv);
    json = inv.json;
    if (inv.command === 'help') {
      io.stdout.write(json ? `${toJson({ ok: true, command: 'help', text: HELP })}\n` : HELP);
      return ExitCode.Ok;
    }
    session = await openSession(inv);
    const result = await COMMANDS[inv.command](session);
    io.stdout.write(json ? `${toJson({ ok: true, command: inv.command, ...result.data })}\n` : `${result.text}\n`);
    return ExitCode.Ok;
  } catch (thrown) {
    const error = asCliError(thrown);
    if (json) io.stdout.write(`${toJson({ ok: false, error: { code: error.code, message: error.message, exitCode: error.exitCode } })}\n`);
    else io.stderr.write(`${error.message}\n${error.code === 'E_USAGE' ? 'run `cachette help` for usage\n' : ''}`);
    return error.exitCode;
  } finally {
    await session?.close().catch(() => undefined);
  }
}

function asCliError(thrown: unknown): CliError {
  if (thrown instanceof CliError) return thrown;
  // a configuration mistake found by @cachette/core (a bad namespace name, say) is a usage error
  if (thrown instanceof InvalidOptionError)
    return new CliError('E_USAGE', thrown.message.replace(/^\[cachette:\w+\] /, ''), { cause: thrown });
  const why = thrown instanceof Error ? thrown.message : String(thrown);
  return new CliError('E_FAILED', why, { cause: thrown });
}
