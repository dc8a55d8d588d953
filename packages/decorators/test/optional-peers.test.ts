import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

// An application without tsyringe: the built package, imported by name, a default cache and a
// decorated method (decorated by hand: plain JavaScript), then what Node loaded.
const APP = `
import { createRequire } from 'node:module';
const { createCache } = await import('@cachette/core');
const { Cacheable, setDefaultCache } = await import('@cachette/decorators');
setDefaultCache(createCache());
let calls = 0;
class Users { async load(id) { calls++; return { id }; } }
const descriptor = Object.getOwnPropertyDescriptor(Users.prototype, 'load');
Object.defineProperty(Users.prototype, 'load', Cacheable({ key: (id) => 'user:' + id })(Users.prototype, 'load', descriptor));
const users = new Users();
await users.load(1);
await users.load(1);
const require = createRequire(import.meta.url);
const loaded = Object.keys(require.cache).filter((file) => /[\\\\/](tsyringe|reflect-metadata)[\\\\/]/.test(file));
process.stdout.write(JSON.stringify({ calls, loaded, reflect: typeof Reflect.getMetadata }));
`;

describe('@cachette/decorators without tsyringe', () => {
  it('resolves the default cache and loads neither tsyringe nor reflect-metadata', async () => {
    if (!existsSync(`${PACKAGE}dist/index.js`)) throw new Error(`${PACKAGE}dist is missing: run pnpm run build first`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', APP], { cwd: PACKAGE });
    expect(JSON.parse(stdout)).toEqual({ calls: 1, loaded: [], reflect: 'undefined' });
  });
});
