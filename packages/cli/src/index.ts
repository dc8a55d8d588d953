export { CliError, CliErrorCode, ExitCode } from './errors.js';
export { type CliIo, main } from './main.js';
