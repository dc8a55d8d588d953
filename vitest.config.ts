import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index') => fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

// The version matrix's Nest majors live in packages of their own (test/matrix/nest<N>), so that
// Nest's packages resolve each other at that major; @nestjs/* imported by the sources and the
// harness are pointed there too.
const nestMajor = (major: number) => ({
  extends: true as const,
  resolve: {
    alias: ['common', 'core', 'platform-express', 'platform-fastify'].map((name) => ({
      find: new RegExp(`^@nestjs/${name}(?=/|$)`),
      replacement: fileURLToPath(new URL(`./test/matrix/nest${major}/node_modules/@nestjs/${name}`, import.meta.url)),
    })),
  },
  test: { name: `nest ${major}`, include: [`test/matrix/nest${major}/**/*.test.ts`] },
});

export default defineConfig({
  // vite's own transform emits no decorator metadata; SWC does (Nest and tsyringe need it)
  plugins: [
    swc.vite({
      module: { type: 'es6' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }),
  ],
  // tests run against the sources, not dist; a subpath export `./<name>` is src/<name>.ts
  resolve: {
    alias: [
      { find: /^@cachette\/(core|redis|decorators|express|koa|nest|fastify|cli|opentelemetry)$/, replacement: src('$1') },
      { find: /^@cachette\/(core|decorators)\/([a-z-]+)$/, replacement: src('$1', '$2') },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'cachette',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'docs/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/matrix/**'],
        },
      },
      nestMajor(10),
      nestMajor(12),
    ],
  },
});
