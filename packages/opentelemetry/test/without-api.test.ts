import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const CORE = fileURLToPath(new URL('../../core', import.meta.url));

/**
 * An application that installed @cachette/opentelemetry but not @opentelemetry/api: the built
 * package is copied into a fresh node_modules next to @cachette/core, and nothing else.
 */
describe('without @opentelemetry/api installed', () => {
  let app: string;
  beforeAll(() => {
    if (!existsSync(join(PKG, 'dist/index.js'))) throw new Error('packages/opentelemetry/dist is missing: run pnpm run build first');
    app = mkdtempSync(join(tmpdir(), 'cachette-otel-'));
    const target = join(app, 'node_modules/@cachette/opentelemetry');
    mkdirSync(target, { recursive: true });
    cpSync(join(PKG, 'package.json'), join(target, 'package.json'));
    cpSync(join(PKG, 'dist'), join(target, 'dist'), { recursive: true });
    symlinkSync(CORE, join(app, 'node_modules/@cachette/core'), 'dir');
  });
  afterAll(() => {
    rmSync(app, { recursive: true, force: true });
  });

  const run = async (file: string, code: string) => {
    // pnpm exec puts its whole store on NODE_PATH; an application's process has no such path
    const { NODE_PATH: _, ...env } = process.env;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type', file === 'esm' ? 'module' : 'commonjs', '-e', code], {
      cwd: app,
      env,
    });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it.each([
    ['esm', "import { instrument } from '@cachette/opentelemetry'; import { hasSubscribers } from 'node:diagnostics_channel';"],
    ['cjs', "const { instrument } = require('@cachette/opentelemetry'); const { hasSubscribers } = require('node:diagnostics_channel');"],
  ])('(%s) loads, subscribes to nothing, and instrument() says what to install', async (kind, head) => {
    const result = await run(
      kind,
      `${head}
      let error;
      try { instrument() } catch (e) { error = { code: e.code, message: e.message } }
      console.log(JSON.stringify({ listening: hasSubscribers('cachette:hit'), error }));`,
    );
    expect(result.listening).toBe(false);
    expect(result.error).toEqual({ code: 'E_INVALID_OPTION', message: expect.stringContaining('npm install @opentelemetry/api') });
  });
});
