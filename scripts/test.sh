#!/usr/bin/env bash
# Everything the tests need, from a fresh machine: apt's redis-server and memcached, pnpm,
# the workspace (with sqlite3's native build), then lint, types, package checks and every
# test against real servers started here on free ports — and stopped again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

ensure_apt redis-server redis-server memcached memcached redis-sentinel redis-sentinel nginx nginx chromium chromium
ensure_workspace

RUN_DIR="$(mktemp -d)"
cleanup() {
  local pids=() f
  for f in "$RUN_DIR"/*.pid; do [ -f "$f" ] && pids+=("$(cat "$f")"); done
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

REDIS_PORT="$(free_port)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$RUN_DIR/redis.pid" \
  --logfile "$RUN_DIR/redis.log" --dir "$RUN_DIR" --save '' --appendonly no
MEMCACHED_PORT="$(free_port)"
memcached -d -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 -u "$(id -un)" -P "$RUN_DIR/memcached.pid"
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$MEMCACHED_PORT") 2>/dev/null && break; sleep 0.1; done
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT" MEMCACHED_SERVERS="127.0.0.1:$MEMCACHED_PORT" CACHETTE_REQUIRE_SERVICES=1

failed=()
step() {   # step <name> <command...>: runs it, remembers a failure, goes on
  local name="$1"
  shift
  echo "== $name"
  "$@" || failed+=("$name")
}
step lint pnpm exec biome ci --colors=off --max-diagnostics=30 .
step types pnpm run typecheck
step docs pnpm run docs:build
step docs-browser node scripts/docs-e2e.mjs --port "$(free_port)"   # headless chromium over every built page
step packages bash -c 'pnpm run check:packages > "$0" 2>&1 || { cat "$0"; exit 1; }' "$RUN_DIR/packages.log"
step tarballs bash scripts/tarball-test.sh
echo "== tests (redis :$REDIS_PORT, memcached :$MEMCACHED_PORT)"
pnpm exec vitest run --reporter=default --reporter=json --outputFile="$RUN_DIR/vitest.json" || failed+=(tests)
if [ ${#failed[@]} -gt 0 ]; then echo "failed: ${failed[*]}"; fi
node -e '
  const r = require(process.argv[1]);
  const skipped = r.numPendingTests + (r.numTodoTests || 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) process.exit(1);
' "$RUN_DIR/vitest.json" || failed+=(no-tests)
[ ${#failed[@]} -eq 0 ]
