// Loads one entry point of the built @cachette/core, as an application would (import or require),
// and prints what that loaded as JSON: { files: absolute paths, builtins: node:* module names }.
// Usage: node probe.mjs <import|require> <specifier>. It lives inside packages/core, so the
// package resolves itself by name through its "exports".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [how, specifier] = process.argv.slice(2);
let files;
if (how === 'require') {
  const require = createRequire(import.meta.url);
  const before = new Set(Object.keys(require.cache));
  require(specifier);
  files = Object.keys(require.cache).filter((file) => !before.has(file));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'cachette-probe-'));
  const log = join(dir, 'resolved.log');
  register('./record-resolves.mjs', import.meta.url, { data: { log } });
  await import(specifier);
  files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url));
  rmSync(dir, { recursive: true, force: true });
}
const builtins = process.moduleLoadList
  .map((entry) => /^NativeModule (.+)$/.exec(entry)?.[1])
  .filter((name) => name !== undefined && !name.startsWith('internal/'));
process.stdout.write(JSON.stringify({ files, builtins }));
