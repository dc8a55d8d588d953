import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every ```ts block of every page is compiled against the real packages' types. A block is a
 * fragment, so names it uses without defining (`db`, `app`, `handler`…) and the page's own
 * relative imports are allowed; anything else TypeScript reports — a name the packages do not
 * export, an option that does not exist, a value of the wrong type — fails the page.
 */

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(DOCS, '.cache/code-blocks');
const LANGS = new Set(['ts', 'typescript']);
/** Diagnostics a fragment may have: names defined elsewhere in the reader's app, and bodies left out (`{ … }`). */
const FRAGMENT_CODES = new Set([
  2304, // Cannot find name 'x'
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2582, // Cannot find name 'it' (test globals)
  2593, // Cannot find name 'it' (test globals)
  18004, // No value exists in scope for the shorthand property
  7006, // Parameter implicitly has an 'any' type (its context, such as `app`, is not in the block)
  7031, // Binding element implicitly has an 'any' type (the same)
  2355, // A function whose declared type is not void must return a value (a body shown as `{ … }`)
]);
/** Packages a page shows but the docs do not install: the peers a migration starts from, and optional extras. */
const NOT_INSTALLED = ['apicache', 'koa-cash', '@nestjs/cache-manager', '@nestjs/config', '@keyv/postgres'];

function pages(dir = DOCS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || ['node_modules', 'test', 'api', 'snippets'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pages(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

interface Block {
  page: string;
  line: number;
  file: string;
}

/** Writes each ts block to its own module under docs/.cache/code-blocks. */
function extract(): Block[] {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const blocks: Block[] = [];
  for (const page of pages()) {
    const text = readFileSync(page, 'utf8');
    const fence = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```\s*$/gm;
    for (const m of text.matchAll(fence)) {
      if (!LANGS.has(m[1] ?? '')) continue;
      const line = text.slice(0, m.index).split('\n').length;
      const name = `${relative(DOCS, page).replace(/[/.]/g, '_')}_${line}.ts`;
      const file = join(OUT, name);
      // `export {}` makes each block a module of its own, so blocks do not clash
      // and an elided part (`…`) is left out, as the reader would
      writeFileSync(file, `${(m[2] ?? '').replace(/…/g, '')}\nexport {};\n`);
      blocks.push({ page: relative(DOCS, page), line, file });
    }
  }
  return blocks;
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = join(DOCS, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, DOCS);
  return { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
}

function isAllowedMissingModule(d: ts.Diagnostic): boolean {
  if (d.code !== 2307) return false;
  const module = /Cannot find module '([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1] ?? '';
  return module.startsWith('./') || module.startsWith('../') || NOT_INSTALLED.includes(module);
}

describe('TypeScript code blocks in the pages', () => {
  const blocks = extract();
  const program = ts.createProgram(
    blocks.map((b) => b.file),
    compilerOptions(),
  );
  const byFile = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (!d.file || FRAGMENT_CODES.has(d.code) || isAllowedMissingModule(d)) continue;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const list = byFile.get(d.file.fileName) ?? [];
    list.push(`line ${line + 1}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    byFile.set(d.file.fileName, list);
  }

  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThan(50);
  });

  it.each(blocks.map((b) => [`${b.page}:${b.line}`, b] as const))('%s compiles', (_, block) => {
    expect(byFile.get(block.file) ?? []).toEqual([]);
  });
});
