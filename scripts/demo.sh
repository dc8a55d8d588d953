#!/usr/bin/env bash
# Sets up the workspace on a fresh machine and runs the demo on the embedded default
# (memory + SQLite; no servers needed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_workspace
pnpm --filter @cachette/example-quickstart start
