#!/usr/bin/env node
// Generates the API reference (docs/api/**) from the TSDoc of every package under packages/*
// that has a src/index.ts: a new package joins the reference by existing. The output is
// gitignored and rebuilt by `pnpm run docs:build`; never edit it by hand.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = join(ROOT, 'docs');
const OUT = join(DOCS, 'api');

/**
 * The entry points of every packages/<dir> with a src/index.ts, as { name, entry, module } (module:
 * the name typedoc gives it, from its path): the root
 * (`@cachette/core`) and each subpath of its package.json "exports" (`./pages` is src/pages.ts,
 * named `@cachette/core/pages`), sorted by name.
 */
export function publicPackages(root = ROOT) {
  const packages = join(root, 'packages');
  return readdirSync(packages, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(packages, d.name, 'src/index.ts')))
    .flatMap((d) => {
      const manifest = JSON.parse(readFileSync(join(packages, d.name, 'package.json'), 'utf8'));
      const subpaths = Object.keys(manifest.exports ?? {}).filter((key) => /^\.\/[\w-]+$/.test(key));
      return [
        { name: manifest.name, entry: join(packages, d.name, 'src/index.ts'), module: `${d.name}/src` },
        ...subpaths.map((key) => ({
          name: `${manifest.name}/${key.slice(2)}`,
          entry: join(packages, d.name, `src/${key.slice(2)}.ts`),
          module: `${d.name}/src/${key.slice(2)}`,
        })),
      ];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function main() {
  // typedoc and its plugins are devDependencies of the docs package, not of the root
  const fromDocs = createRequire(join(DOCS, 'package.json'));
  const { Application, LogLevel } = await import(pathToFileURL(fromDocs.resolve('typedoc')).href);
  const found = publicPackages();
  rmSync(OUT, { recursive: true, force: true });
  const app = await Application.bootstrapWithPlugins({
    name: 'API reference',
    entryPoints: found.map((p) => p.entry),
    entryPointStrategy: 'resolve',
    tsconfig: join(DOCS, 'tsconfig.typedoc.json'),
    plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'].map((name) => fromDocs.resolve(name)),
    out: OUT,
    docsRoot: DOCS,
    readme: 'none',
    excludePrivate: true,
    excludeInternal: true,
    excludeExternals: false,
    githubPages: false,
    hideGenerator: true,
    disableSources: true,
    entryFileName: 'index.md',
    hidePageHeader: true,
    useCodeBlocks: true,
    expandObjects: false,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    sanitizeComments: true,
    logLevel: LogLevel.Warn,
    treatWarningsAsErrors: false,
    validation: { notExported: false, invalidLink: true, rewrittenLink: true },
    sidebar: { autoConfiguration: true, format: 'vitepress', pretty: false, collapsed: true },
  });
  const project = await app.convert();
  if (!project) throw new Error('[cachette:docs] typedoc could not convert the packages (see the messages above)');
  // typedoc names a module by its path ("core/src", "core/src/pages"); readers know it by its import name
  for (const module of project.children ?? []) {
    const pkg = found.find((p) => module.name === p.module);
    if (pkg) module.name = pkg.name;
  }
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) process.exitCode = 1;
  console.log(`API reference: ${found.map((p) => p.name).join(', ')} → docs/api`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
