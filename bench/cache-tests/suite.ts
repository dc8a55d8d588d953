import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The cache-tests commit the published figures in this README were read at (2026-07-20). */
export const PINNED_COMMIT = 'b55b8bda3dbb8c927c04e85bd8d496a8caa3e4ba';
export const DEFAULT_GIT = 'https://github.com/http-tests/cache-tests.git';
/** The only published npm release (an older layout of the suite: node-fetch, no results/). */
export const NPM_PACKAGE = 'http-cache-tests@0.4.5';
/** Only the interim-response tests import it; the suite's other dependencies build its web pages. */
const UNDICI = 'undici@7.30.3';

/** Where the suite was unpacked, what it is, and where its server and client are in that layout. */
export interface InstalledSuite {
  dir: string;
  describe: string;
  server: string;
  cli: string;
}

/** The repository keeps the engine under test-engine/; the npm release at the top. */
function layout(dir: string): { server: string; cli: string } {
  return existsSync(join(dir, 'test-engine'))
    ? { server: 'test-engine/server/server.mjs', cli: 'test-engine/cli.mjs' }
    : { server: 'server/server.mjs', cli: 'cli.mjs' };
}

function run(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * The suite's client, server, tests and published results at {@link PINNED_COMMIT}, from a git
 * repository (a URL, or a local clone or mirror), unpacked into `tmp/suite`. Nothing of the
 * suite is kept in this repository.
 */
export function installFromGit(tmp: string, source: string): InstalledSuite {
  const git = join(tmp, 'git');
  const dir = join(tmp, 'suite');
  mkdirSync(git);
  mkdirSync(dir);
  run('git', ['init', '-q'], git);
  run('git', ['fetch', '-q', '--depth', '1', source, PINNED_COMMIT], git);
  const archive = execFileSync('git', ['archive', 'FETCH_HEAD', 'test-engine', 'tests', 'results'], { cwd: git });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  // Not the suite's package.json: its other dependencies (liquidjs, marked, npm) build web pages.
  run('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', UNDICI], dir);
  return { dir, describe: `http-tests/cache-tests @ ${PINNED_COMMIT.slice(0, 12)}`, ...layout(dir) };
}

/** The npm release, with its own dependencies, unpacked under `tmp/node_modules/http-cache-tests`. */
export function installFromNpm(tmp: string): InstalledSuite {
  run('npm', ['init', '-y'], tmp);
  run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', NPM_PACKAGE], tmp);
  const dir = join(tmp, 'node_modules', 'http-cache-tests');
  return { dir, describe: `npm ${NPM_PACKAGE}`, ...layout(dir) };
}
