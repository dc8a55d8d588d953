#!/usr/bin/env bash
# The type tests and the adapter suites' types on TypeScript 7 (the native compiler), next to
# the workspace's TypeScript 5.9. TypeScript 7 is installed with npm into node_modules/.cache,
# apart from the workspace, so that its `tsc` never shadows 5.9's. Needs `pnpm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
TS7_VERSION=7.0.2
DIR=node_modules/.cache/typescript7
if [ "$(node -p "try { require('./$DIR/node_modules/typescript/package.json').version } catch { '' }")" != "$TS7_VERSION" ]; then
  mkdir -p "$DIR"
  echo '{ "private": true }' >"$DIR/package.json"
  (cd "$DIR" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "typescript@$TS7_VERSION" >/dev/null)
fi
TSC="$DIR/node_modules/.bin/tsc"
"$TSC" --version
for project in packages/*/ packages/decorators/test packages/express/test packages/koa/test packages/fastify/test test/adapters test/matrix; do
  if [ -f "$project/tsconfig.json" ]; then
    # the packages are composite projects for tsc -b; checked here one by one without emitting
    extra=()
    case "$project" in packages/*/) extra=(--composite false) ;; esac
    "$TSC" -p "$project" --noEmit "${extra[@]}"
  fi
done
echo "TypeScript $TS7_VERSION: type tests and adapter suites type-check"
