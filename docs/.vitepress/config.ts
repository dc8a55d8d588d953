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
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  srcExclude: ['test/**', 'snippets/**', 'README.md'],
  // a link to a page that does not exist fails the build
  ignoreDeadLinks: false,
  themeConfig: {
    search: { provider: 'local' },
    nav: [
      { text: 'Start', link: '/start/install', activeMatch: '/start/' },
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '/guide/' },
      { text: 'Reference', link: '/reference/options', activeMatch: '/reference/' },
      { text: 'Recipes', link: '/recipes/sqlite', activeMatch: '/recipes/' },
      { text: 'Migrating', link: '/migrate/django', activeMatch: '/migrate/' },
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
          { text: 'Fastify', link: '/start/fastify' },
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
          { text: 'Operating cachette (CLI, OpenTelemetry)', link: '/guide/operators' },
          { text: 'Testing', link: '/guide/testing' },
          { text: 'Security', link: '/guide/security' },
        ],
      },
      {
        text: 'Frameworks',
        items: [
          { text: 'Page cache (Express, Koa, Fastify)', link: '/guide/pages' },
          { text: 'NestJS', link: '/guide/nest' },
          { text: 'Decorators (@Cacheable)', link: '/guide/decorators' },
        ],
      },
      {
        text: 'Recipes',
        items: [
          { text: 'SQLite, the embedded default', link: '/recipes/sqlite' },
          { text: 'Redis', link: '/recipes/redis' },
          { text: 'Redis Cluster and Sentinel', link: '/recipes/redis-cluster-sentinel' },
          { text: 'memcached', link: '/recipes/memcached' },
          { text: 'Many workers behind nginx', link: '/recipes/workers-behind-nginx' },
          { text: 'nginx, Varnish or a CDN in front', link: '/recipes/cdn-in-front' },
          { text: 'Immutable static assets', link: '/recipes/static-assets' },
          { text: 'Testing with manualClock', link: '/recipes/testing' },
        ],
      },
      {
        text: 'Migrating',
        items: [
          { text: 'From @nestjs/cache-manager', link: '/migrate/nestjs-cache-manager' },
          { text: 'From apicache', link: '/migrate/apicache' },
          { text: 'From koa-cash', link: '/migrate/koa-cash' },
          { text: "From Django's cache framework", link: '/migrate/django' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Options and defaults', link: '/reference/options' },
          { text: 'Errors', link: '/reference/errors' },
          { text: 'HTTP cache test suite', link: '/reference/http-cache-tests' },
          { text: 'Benchmarks', link: '/benchmarks' },
        ],
      },
      { text: 'API', collapsed: true, link: '/api/', items: apiSidebar() },
    ],
    outline: { level: [2, 3] },
  },
});
