import { defineConfig } from 'tsup';

/** The build every package shares: dual ESM + CJS from src/index.ts, with declarations for both. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // each package tsconfig is a composite project for tsc -b; declarations here come from one file set
  dts: { compilerOptions: { composite: false, incremental: false } },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
