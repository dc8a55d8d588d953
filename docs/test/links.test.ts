import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The docs stay true to the tree: every internal link points to a page (and heading) that exists,
 * and every name a code sample imports from a cachette package is exported by that package's index.
 */

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const ROOT = resolve(DOCS, '..');
const PACKAGES: Record<string, string> = {
  '@cachette/core': join(ROOT, 'packages/core/src/index.ts'),
  '@cachette/redis': join(ROOT, 'packages/redis/src/index.ts'),
  '@cachette/express': join(ROOT, 'packages/express/src/index.ts'),
  '@cachette/koa': join(ROOT, 'packages/koa/src/index.ts'),
  '@cachette/nest': join(ROOT, 'packages/nest/src/index.ts'),
  '@cachette/decorators': join(ROOT, 'packages/decorators/src/index.ts'),
};

/** Every markdown page of the site, as a path relative to docs/. */
function pages(dir = DOCS): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pages(path));
    else if (entry.name.endsWith('.md')) found.push(relative(DOCS, path));
  }
  return found.sort();
}

const read = (page: string) => readFileSync(join(DOCS, page), 'utf8');

/** The page's text with fenced code blocks blanked out (links and headings inside them do not count). */
function prose(text: string): string {
  return text.replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, '');
}

/** The code blocks of a page: language and body. */
function codeBlocks(text: string): Array<{ lang: string; body: string }> {
  const fenced = /^[ \t]*(```|~~~)([\w-]*)[^\n]*\n([\s\S]*?)^[ \t]*\1[ \t]*$/gm;
  return [...text.matchAll(fenced)].map((m) => ({ lang: m[2] ?? '', body: m[3] ?? '' }));
}

/** Link targets in a page: inline links, reference definitions and VitePress front-matter `link:` entries. */
function linkTargets(text: string): string[] {
  const body = prose(text).replace(/`[^`\n]*`/g, '');
  const inline = [...body.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
  const references = [...body.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1] ?? '');
  const frontMatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  const front = [...frontMatter.matchAll(/^\s*link:\s*['"]?([^'"\s]+)['"]?\s*$/gm)].map((m) => m[1] ?? '');
  return [...inline, ...references, ...front];
}

/** VitePress's heading slug (@mdit-vue/shared `slugify`). */
function slugify(text: string): string {
  const withoutControls = [...text].filter((c) => c.charCodeAt(0) > 0x1f).join('');
  return withoutControls
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/** The anchors a page's headings get: explicit `{#id}`, or the slug of the heading's text (repeats get -1, -2…). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  for (const m of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const heading = m[1] ?? '';
    const explicit = /\{#([^}]+)\}\s*$/.exec(heading);
    if (explicit?.[1]) {
      ids.add(explicit[1]);
      continue;
    }
    const plain = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/[`*]/g, '');
    const slug = slugify(plain);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    ids.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return ids;
}

/** Where an internal link leads: the page file (relative to docs/) and the anchor, or undefined for external links. */
function resolveLink(from: string, target: string): { page: string; anchor: string | undefined } | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const [pathPart = '', anchor] = target.split('#', 2);
  if (pathPart === '') return { page: from, anchor };
  const absolute = pathPart.startsWith('/') ? join(DOCS, pathPart) : join(DOCS, dirname(from), pathPart);
  let page = relative(DOCS, absolute).replace(/\\/g, '/');
  if (pathPart.endsWith('/') || page === '') page = join(page, 'index');
  page = page.replace(/\.(md|html)$/, '');
  return { page: `${page}.md`, anchor };
}

/** Every name a module exports, following `export * from './x.js'` into the sources. */
function exportedNames(file: string, visited = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (visited.has(file) || !existsSync(file)) return names;
  visited.add(file);
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.add(name);
    }
  }
  const declaration =
    /export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g;
  for (const m of text.matchAll(declaration)) if (m[1]) names.add(m[1]);
  for (const m of text.matchAll(/export\s+\*\s+from\s+['"](\.[^'"]+)['"]/g)) {
    const spec = (m[1] ?? '').replace(/\.js$/, '');
    const base = resolve(dirname(file), spec);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      for (const name of exportedNames(candidate, visited)) names.add(name);
    }
  }
  return names;
}

/** Names imported from cachette packages in a code block: `import { a, type B, c as d } from '@cachette/core'`. */
function importsFrom(code: string): Array<{ pkg: string; name: string; line: string }> {
  const found: Array<{ pkg: string; name: string; line: string }> = [];
  // the clause holds no quote or semicolon, so a match never starts at an earlier import of another module
  const statement = /import\s+(?:type\s+)?([^;'"]*?)\s+from\s+['"](@cachette\/[\w-]+)['"]/g;
  for (const m of code.matchAll(statement)) {
    const clause = m[1] ?? '';
    const pkg = m[2] ?? '';
    const line = m[0].replace(/\s+/g, ' ');
    const braces = /\{([\s\S]*)\}/.exec(clause);
    const beforeBraces = (braces ? clause.slice(0, braces.index) : clause).replace(/,\s*$/, '').trim();
    if (beforeBraces && !beforeBraces.startsWith('*')) found.push({ pkg, name: 'default', line });
    for (const part of (braces?.[1] ?? '').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]
        ?.trim();
      if (name) found.push({ pkg, name, line });
    }
  }
  return found;
}

const ALL_PAGES = pages();
const CODE_LANGS = new Set(['ts', 'typescript', 'js', 'javascript', 'tsx', 'mts', 'cts', 'mjs']);

describe('docs pages', () => {
  it('finds the pages, their links and their code samples', () => {
    expect(ALL_PAGES).toContain('index.md');
    expect(ALL_PAGES).toContain('guide/getting-started.md');
    expect(ALL_PAGES.flatMap((page) => linkTargets(read(page))).length).toBeGreaterThan(20);
    expect(ALL_PAGES.flatMap((page) => codeBlocks(read(page)).filter((b) => CODE_LANGS.has(b.lang))).length).toBeGreaterThan(20);
  });

  it.each(ALL_PAGES)('%s: internal links lead to existing pages and headings', (page) => {
    const broken: string[] = [];
    for (const target of linkTargets(read(page))) {
      const to = resolveLink(page, target);
      if (!to) continue;
      if (!existsSync(join(DOCS, to.page))) {
        broken.push(`${target} (no page ${to.page})`);
      } else if (to.anchor && !anchors(read(to.page)).has(to.anchor)) {
        broken.push(`${target} (no heading #${to.anchor} in ${to.page})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('nav and sidebar links in .vitepress/config.ts lead to existing pages', () => {
    const config = readFileSync(join(DOCS, '.vitepress/config.ts'), 'utf8');
    const links = [...config.matchAll(/link:\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(5);
    const broken = links.filter((link) => {
      const to = resolveLink('index.md', link);
      return to !== undefined && !existsSync(join(DOCS, to.page));
    });
    expect(broken).toEqual([]);
  });
});

describe('code samples', () => {
  const exports = Object.fromEntries(Object.entries(PACKAGES).map(([pkg, file]) => [pkg, exportedNames(file)]));

  it('reads the packages export lists', () => {
    expect(exports['@cachette/core']).toContain('createCache');
    expect(exports['@cachette/core']).toContain('memoryStore');
    expect(exports['@cachette/redis']).toContain('redisBus');
    expect(exports['@cachette/express']).toContain('cachePage');
    expect(exports['@cachette/express']).toContain('NEVER_CACHE');
    expect(exports['@cachette/koa']).toContain('varyOnCookies');
    expect(exports['@cachette/nest']).toContain('CachetteModule');
    expect(exports['@cachette/nest']).toContain('Cacheable');
    expect(exports['@cachette/decorators']).toContain('setDefaultCache');
    expect(exports['@cachette/decorators']).toContain('CACHETTE_CACHE');
  });

  it.each(ALL_PAGES)('%s: names imported from cachette packages are exported', (page) => {
    const missing: string[] = [];
    for (const block of codeBlocks(read(page))) {
      if (!CODE_LANGS.has(block.lang)) continue;
      for (const { pkg, name, line } of importsFrom(block.body)) {
        const known = exports[pkg];
        if (!known) missing.push(`${pkg} is not a package these docs know (${line})`);
        else if (!known.has(name)) missing.push(`${name} is not exported by ${pkg} (${line})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
