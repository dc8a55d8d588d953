import { createHash } from 'node:crypto';
import { assertKey } from './keys.js';

/**
 * The key `cache.fragment(name, varyOn, …)` stores under, to delete one fragment from code
 * (Django's `make_template_fragment_key`). `varyOn` is encoded as JSON, so `['ab', '']` and
 * `['a', 'b']` give different keys.
 *
 * @example
 * ```ts
 * await cache.delete(fragmentKey('sidebar', [userId, 'en']))
 * ```
 */
export function fragmentKey(name: string, varyOn: readonly unknown[] = []): string {
  assertKey(name, 'fragment name');
  const digest = createHash('sha256').update(JSON.stringify(varyOn)).digest('base64url').slice(0, 32);
  return `fragment:${name}:${digest}`;
}
