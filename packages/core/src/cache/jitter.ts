/**
 * `ttl` shortened by a random share of up to `jitter` (0–1), so that entries written together do
 * not all expire together.
 */
export function jitteredTtl(ttl: number, jitter: number): number {
  return jitter > 0 ? Math.round(ttl * (1 - Math.random() * jitter)) : ttl;
}
