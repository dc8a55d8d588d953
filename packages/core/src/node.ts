// @cachette/core/node: node:http response helpers, for adapter authors
export * from './node/index.js';
