#!/usr/bin/env node
// Opens every page of the built docs site in headless Chromium (Debian's `chromium`, driven by
// playwright-core; never `playwright install`) served by `vitepress preview` on 127.0.0.1:
// no console error, no failed request, every internal link resolves (page and heading), the
// local search finds "stale-while-revalidate" and "Vary", and the sidebar reaches every guide.
//
//   node scripts/docs-e2e.mjs [--port 18501] [--screenshot file.png]
//
// Run `pnpm run docs:build` first. Exits non-zero with a list of what failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = join(ROOT, 'docs');
const DIST = join(DOCS, '.vitepress/dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Pages the sidebar must reach: every page of these sections (the API reference has its own index). */
const GUIDE_SECTIONS = ['start', 'guide', 'recipes', 'migrate', 'reference'];
const SEARCHES = ['stale-while-revalidate', 'Vary'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** Every built page as its clean URL path ('/', '/guide/engine', …), from the .html files of dist/. */
function builtPages(dir = DIST) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'assets') found.push(...builtPages(path));
    else if (entry.name.endsWith('.html') && entry.name !== '404.html') {
      const rel = relative(DIST, path).replace(/\\/g, '/');
      found.push(`/${rel.replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '')}`);
    }
  }
  return found.sort();
}

/** The built file of a clean path, or undefined. */
function fileOf(pathname) {
  const clean = decodeURIComponent(pathname).replace(/\.html$/, '');
  const candidates = clean.endsWith('/') ? [`${clean}index.html`] : [`${clean}.html`, `${clean}/index.html`];
  return candidates.map((c) => join(DIST, c)).find((f) => existsSync(f));
}

/** The element ids of a built page, for #anchors. */
const idsCache = new Map();
function idsOf(file) {
  if (!idsCache.has(file)) {
    const html = readFileSync(file, 'utf8');
    idsCache.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
  }
  return idsCache.get(file);
}

function waitForPort(port, ms = 30_000) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Starts `vitepress preview` on 127.0.0.1:port; returns a stop function that ends that process only. */
async function preview(port) {
  const fromDocs = createRequire(join(DOCS, 'package.json'));
  const bin = join(fromDocs.resolve('vitepress/package.json'), '../bin/vitepress.js');
  const child = spawn(process.execPath, [bin, 'preview', '.', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: DOCS,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await Promise.race([waitForPort(port), exited.then(() => Promise.reject(new Error('vitepress preview exited')))]);
  return async () => {
    child.kill('SIGTERM');
    await exited;
  };
}

/** Checks one page: console errors, failed requests, and its internal links. */
async function checkPage(context, base, path, problems, linked) {
  const page = await context.newPage();
  const origin = new URL(base).origin;
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${path}: console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`${path}: page error: ${error.message}`));
  page.on('requestfailed', (req) => problems.push(`${path}: request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${path}: ${res.status()} for ${res.url()}`);
  });
  const response = await page.goto(new URL(path, base).href, { waitUntil: 'networkidle' });
  if (response?.status() !== 200) problems.push(`${path}: answered ${response?.status()}`);
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin !== origin) continue;
    const file = fileOf(url.pathname);
    if (!file) problems.push(`${path}: link to ${url.pathname} leads to no page`);
    else if (url.hash && !idsOf(file).has(decodeURIComponent(url.hash.slice(1)))) {
      problems.push(`${path}: link to ${url.pathname}${url.hash}: no such heading`);
    }
    linked.add(url.pathname.replace(/\.html$/, ''));
  }
  await page.close();
}

async function search(page, base, query) {
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.click('#local-search button, .VPNavBarSearch button');
  const input = page.locator('.VPLocalSearchBox input');
  await input.waitFor();
  await input.fill(query);
  const results = page.locator('.VPLocalSearchBox .result');
  await results.first().waitFor({ timeout: 10_000 });
  const count = await results.count();
  await page.keyboard.press('Escape');
  return count;
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('no built site: run `pnpm run docs:build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: apt-get install -y chromium`);
  const port = Number(option('port', process.env.DOCS_PORT ?? '18501'));
  const screenshot = option('screenshot', undefined);
  const base = `http://127.0.0.1:${port}/`;
  const fromDocs = createRequire(join(DOCS, 'package.json'));
  const { chromium } = fromDocs('playwright-core');

  // DOCS_E2E_ONLY=/guide/ checks only the pages under that path (for a quick look; test.sh checks all)
  const pages = builtPages().filter((p) => p.startsWith(process.env.DOCS_E2E_ONLY ?? '/'));
  const problems = [];
  const linked = new Set();
  const stopPreview = await preview(port);
  const profile = mkdtempSync(join(tmpdir(), 'docs-e2e-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
    context.setDefaultTimeout(60_000);
    for (const [i, path] of pages.entries()) {
      await checkPage(context, base, path, problems, linked).catch((error) => problems.push(`${path}: ${error.message}`));
      if ((i + 1) % 50 === 0) console.log(`${i + 1} of ${pages.length} pages opened`);
    }

    const page = await context.newPage();
    for (const query of SEARCHES) {
      const count = await search(page, base, query).catch((error) => {
        problems.push(`search "${query}": ${error.message}`);
        return 0;
      });
      if (count === 0) problems.push(`search "${query}": no result`);
      else console.log(`search "${query}": ${count} results`);
    }

    await page.goto(new URL('/guide/getting-started', base).href, { waitUntil: 'networkidle' });
    const sidebar = new Set(
      (await page.$$eval('.VPSidebar a[href]', (as) => as.map((a) => new URL(a.href).pathname))).map((p) => p.replace(/\.html$/, '')),
    );
    const guides = pages.filter((p) => GUIDE_SECTIONS.some((s) => p.startsWith(`/${s}/`)));
    for (const guide of guides) if (!sidebar.has(guide)) problems.push(`sidebar: no link to ${guide}`);
    console.log(`sidebar: ${guides.length - guides.filter((g) => !sidebar.has(g)).length} of ${guides.length} guides linked`);

    if (screenshot) {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.goto(new URL('/benchmarks', base).href, { waitUntil: 'networkidle' });
      await page.screenshot({ path: screenshot, fullPage: false });
      console.log(`screenshot: ${screenshot}`);
    }
    await page.close();
  } finally {
    await context?.close().catch(() => undefined); // a browser that died already reported why above
    rmSync(profile, { recursive: true, force: true });
    await stopPreview();
  }

  const unlinked = pages.filter((p) => !linked.has(p) && p !== '/');
  console.log(`pages: ${pages.length} opened, ${linked.size} internal link targets checked, ${unlinked.length} pages no page links to`);
  if (problems.length > 0) {
    console.error(`docs e2e: ${problems.length} problem(s)\n${[...new Set(problems)].map((p) => `  ${p}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('docs e2e: ok');
  }
}

await main();
