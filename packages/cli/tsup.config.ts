import { defineConfig } from 'tsup';
import base from '../../tsup.base.js';

// the shared build, plus the bin: ESM only, run by node, with its #! line kept
export default defineConfig([
  base,
  { entry: { bin: 'src/bin.ts' }, format: ['esm'], dts: false, clean: false, sourcemap: true, target: 'node20' },
]);
