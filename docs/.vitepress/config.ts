import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';

/** The API reference's sidebar, written by scripts/docs-api.mjs (empty until it has run). */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
}

// The docs are built and read on machines without internet: no remote fonts, scripts,
// analytics or search service. Search is VitePress's own local index.
export default defineConfig({
  title: 'cachette',
  description: 'Multi-tier caching for TypeScript: memory first, then any shared store, stale-while-revalidate, one loader per key.',
  base: '/',
  lang: 'en-US',
  srcExclude: ['test/**', 'snippets/**', 'README.md'],
  // a link to a page that does not exist fails the build
  ignoreDeadLinks: false,
  themeConfig: {
    search: { provider: 'local' },
    nav: [
      { text: 'Start', link: '/start/install', activeMatch: '/start/' },
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '/guide/' },
      { text: 'Reference', link: '/reference/options', activeMatch: '/reference/' },
      { text: 'API', link: '/api/', activeMatch: '/api/' },
    ],
    sidebar: [
      {
        text: 'Getting started',
        items: [
          { text: 'Installing', link: '/start/install' },
          { text: 'Express', link: '/start/express' },
          { text: 'Koa', link: '/start/koa' },
          { text: 'NestJS', link: '/start/nest' },
          { text: 'node:http and decorators', link: '/start/node' },
          { text: 'Fastify (coming)', link: '/start/fastify' },
        ],
      },
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'The engine', link: '/guide/engine' },
          { text: 'Stores', link: '/guide/stores' },
          { text: 'Resilience', link: '/guide/resilience' },
          { text: 'Many processes', link: '/guide/many-processes' },
          { text: 'Observability', link: '/guide/observability' },
          { text: 'Testing', link: '/guide/testing' },
        ],
      },
      {
        text: 'Frameworks',
        items: [
          { text: 'Page cache (Express, Koa)', link: '/guide/pages' },
          { text: 'NestJS', link: '/guide/nest' },
          { text: 'Decorators (@Cacheable)', link: '/guide/decorators' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Options and defaults', link: '/reference/options' },
          { text: 'Errors', link: '/reference/errors' },
        ],
      },
      { text: 'API', collapsed: true, link: '/api/', items: apiSidebar() },
    ],
    outline: { level: [2, 3] },
  },
});
