import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode, InvalidOptionError, message } from '../errors.js';

/** A token is good for the minute it was made in and the next one. */
const WINDOW_MS = 60_000;
/** The least a fleet-wide secret must hold: 32 characters (e.g. 24 random bytes in base64). */
const MIN_SECRET_LENGTH = 32;

/**
 * The secrets a background revalidation is signed with: the first signs, every one is
 * accepted (rotation: put the new one first, drop the old one once every worker has the new).
 * Without a fleet-wide secret, a random one per process: a refresh that reaches another worker
 * (node:cluster workers sharing one port) is then refused, and the page is re-rendered later.
 */
export interface RevalidationSecrets {
  readonly keys: readonly Buffer[];
  /** True when given in options: every worker that has it accepts the others' refreshes. */
  readonly shared: boolean;
}

let processKeys: RevalidationSecrets | undefined;

/**
 * Checks the `revalidationSecret` option: one string or a list (newest first), each at least
 * 32 characters; `E_INVALID_OPTION` otherwise. Absent: this process's own random secret.
 */
export function resolveRevalidationSecrets(option: unknown): RevalidationSecrets {
  if (option === undefined) {
    processKeys ??= { keys: [randomBytes(32)], shared: false };
    return processKeys;
  }
  const list = typeof option === 'string' ? [option] : option;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)) {
    throw new InvalidOptionError(
      ErrorCode.InvalidOption,
      message(
        `revalidationSecret must be a string of at least ${MIN_SECRET_LENGTH} characters, or a non-empty list of them (newest first)`,
      ),
    );
  }
  return Object.freeze({ keys: Object.freeze(list.map((s: string) => Buffer.from(s, 'utf8'))), shared: true });
}

/**
 * The token a background revalidation of `url` carries: an HMAC of the URL and the current
 * minute under the newest secret. Never the secret itself: a token seen in a log is good for
 * that one URL for two minutes at most.
 */
export function revalidationToken(secrets: RevalidationSecrets, url: string, now: number): string {
  return sign(secrets.keys[0] as Buffer, url, Math.floor(now / WINDOW_MS));
}

/** True when `token` was made for `url` by any of the secrets, this minute or the last (compared in constant time). */
export function verifyRevalidationToken(secrets: RevalidationSecrets, token: string, url: string, now: number): boolean {
  const given = Buffer.from(token, 'utf8');
  const window = Math.floor(now / WINDOW_MS);
  let ok = false;
  for (const key of secrets.keys) {
    for (const w of [window, window - 1]) {
      const expected = Buffer.from(sign(key, url, w), 'utf8');
      // every candidate compared, so the time taken does not say which one matched
      if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
    }
  }
  return ok;
}

function sign(key: Buffer, url: string, window: number): string {
  return createHmac('sha256', key).update(`cachette-revalidate\n${window}\n${url}`).digest('base64url');
}
