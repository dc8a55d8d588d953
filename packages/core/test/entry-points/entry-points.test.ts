import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import * as nodeHelpers from '../../src/node.js';

const PROBE = fileURLToPath(new URL('./probe.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

type Loaded = { files: string[]; builtins: string[] };

/** What loading `specifier` from the built package loads, in a fresh process. */
async function load(how: 'import' | 'require', specifier: string): Promise<Loaded> {
  const { stdout } = await promisify(execFile)(process.execPath, [PROBE, how, specifier]);
  return JSON.parse(stdout) as Loaded;
}

const isKeyv = (file: string) => /[\\/]node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?keyv[\\/]/.test(file);
/** The node:http helpers (`@cachette/core/node`), found by their functions in the loaded build files. */
const nodeHelperFunctions = Object.keys(nodeHelpers);
function nodeHelpersIn(files: string[]): string[] {
  const texts = files.filter((file) => file.startsWith(DIST)).map((file) => readFileSync(file, 'utf8'));
  return nodeHelperFunctions.filter((name) => texts.some((text) => text.includes(`function ${name}(`)));
}

describe.each(['import', 'require'] as const)('the built @cachette/core, by %s', (how) => {
  beforeAll(() => {
    if (!existsSync(`${DIST}index.js`)) throw new Error(`${DIST}index.js is missing: run pnpm run build first`);
  });

  it('loads the engine only: neither Keyv, nor the node:http helpers, nor node:http', async () => {
    const loaded = await load(how, '@cachette/core');
    expect(loaded.files.some((file) => file.startsWith(DIST))).toBe(true);
    expect(loaded.files.filter(isKeyv)).toEqual([]);
    expect(nodeHelpersIn(loaded.files)).toEqual([]);
    expect(loaded.builtins).not.toContain('http');
  });

  // the controls: the checks above see Keyv and the helpers when they are loaded
  it('loads Keyv through @cachette/core/keyv', async () => {
    const loaded = await load(how, '@cachette/core/keyv');
    expect(loaded.files.filter(isKeyv).length).toBeGreaterThan(0);
  });

  it('loads the node:http helpers through @cachette/core/node', async () => {
    const loaded = await load(how, '@cachette/core/node');
    expect(nodeHelpersIn(loaded.files)).toEqual(nodeHelperFunctions);
  });
});

describe('the root entry', () => {
  // every name exported is a promise kept across releases: a new one is a decision, not an accident
  it('exports what an application uses, and no adapter internals', () => {
    expect(Object.keys(root).sort()).toEqual([
      'Cache',
      'CachetteError',
      'CoordinationError',
      'ErrorCode',
      'InvalidOptionError',
      'LoaderTimeoutError',
      'Outbox',
      'SerializationError',
      'SingleFlight',
      'StoreError',
      'createCache',
      'fragmentKey',
      'isCache',
      'manualClock',
      'memoryStore',
      'parseBytes',
      'parseDuration',
      'purgeUrl',
      'systemClock',
    ]);
  });
});
