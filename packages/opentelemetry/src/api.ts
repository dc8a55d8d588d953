import { createRequire } from 'node:module';
import { ErrorCode, InvalidOptionError } from '@cachette/core';

/** The `@opentelemetry/api` module. */
export type OtelApi = typeof import('@opentelemetry/api');

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api`, found where the application installed it, or undefined. Loaded on first
 * use, never on import: this package costs nothing in an application without OpenTelemetry.
 */
export function findApi(): OtelApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** The API, or `E_INVALID_OPTION` saying how to install it. */
export function requireApi(): OtelApi {
  const api = findApi();
  if (api) return api;
  throw new InvalidOptionError(
    ErrorCode.InvalidOption,
    '[cachette:opentelemetry] @opentelemetry/api is not installed: npm install @opentelemetry/api',
  );
}
