import { CACHETTE_CACHE } from '@cachette/decorators';

export { CACHETTE_CACHE };

/** The module's resolved options, for the page interceptor. */
export const CACHETTE_MODULE_OPTIONS = Symbol.for('cachette:nest-module-options');
