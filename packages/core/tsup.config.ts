import { defineConfig, type Options } from 'tsup';
import base from '../../tsup.base.js';

// One entry per audience (package.json "exports": "./<name>" is src/<name>.ts). Splitting, for
// CJS too, keeps one copy of each module across entries: an error class or the default page
// cache is the same object whichever subpath it was reached through.
export default defineConfig({
  ...(base as Options),
  entry: ['src/index.ts', 'src/pages.ts', 'src/node.ts', 'src/http.ts', 'src/keyv.ts'],
  splitting: true,
});
