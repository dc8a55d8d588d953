#!/usr/bin/env bash
# Sets up the workspace on a fresh machine and runs the demos on the embedded default
# (memory + SQLite; no servers needed): the engine, then a real Express shop.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_workspace
echo "== the engine (examples/quickstart)"
pnpm --silent --filter @cachette/example-quickstart start
echo
echo "== pages (examples/express-shop)"
pnpm --silent --filter @cachette/example-express-shop demo
