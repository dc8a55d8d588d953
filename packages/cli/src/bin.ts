#!/usr/bin/env node
import { main } from './main.js';

// stdout is the command's answer (JSON with --json): a library that logs on its own (node-redis's
// sentinel client prints "None of the sentinels are available") goes to stderr instead
console.log = console.error;
console.info = console.error;

// exitCode, not exit(): stdout is flushed first; main() has closed every connection
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
