// Module hooks for probe.mjs: each URL an import resolves to is appended to a log file, at once,
// so that the log is complete when the import settles.
import { appendFileSync } from 'node:fs';

let log = '';

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, `${result.url}\n`);
  return result;
}
