#!/usr/bin/env node
import { main } from './main.js';

// exitCode, not exit(): stdout is flushed first; main() has closed every connection
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
