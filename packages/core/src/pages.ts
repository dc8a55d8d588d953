// @cachette/core/pages: the framework-free page cache, for adapter authors
export * from './page/index.js';
