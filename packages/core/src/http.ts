// @cachette/core/http: strict HTTP header parsing and formatting
export * from './http/index.js';
