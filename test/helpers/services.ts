/**
 * Where the real servers are. `.ci/run` (and `scripts/test.sh`) start them and set these;
 * with CACHETTE_REQUIRE_SERVICES=1 a missing one fails the run instead of skipping.
 */
export const REDIS_URL = process.env.REDIS_URL;
export const MEMCACHED_SERVERS = process.env.MEMCACHED_SERVERS;
const required = process.env.CACHETTE_REQUIRE_SERVICES === '1';

if (required && (!REDIS_URL || !MEMCACHED_SERVERS)) {
  throw new Error('CACHETTE_REQUIRE_SERVICES=1 but REDIS_URL or MEMCACHED_SERVERS is not set');
}

/** Polls until `check` is true, for things that happen on a real server's own time. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
