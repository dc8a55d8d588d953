import { defineConfig, type Options } from 'tsup';
import base from '../../tsup.base.js';

// the shared build; shims give the CJS build an import.meta.url for the lookup of the optional peer tsyringe
export default defineConfig({ ...(base as Options), shims: true });
