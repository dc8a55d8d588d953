#!/usr/bin/env bash
# Packs every package and installs the tarballs with npm into fresh apps in a temp dir outside
# the workspace (test/tarball/*), as a user would: CommonJS Express 4, ESM Koa 3 in TypeScript,
# NestJS 11 compiled with tsc, Fastify 5. Type-checks and compiles the TypeScript apps, then
# starts each and checks a miss, a hit, a Vary variant and a 304 over HTTP.
# Needs `pnpm run build` first. Usage: bash scripts/tarball-test.sh [app...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TSC=(node "$ROOT/node_modules/typescript/bin/tsc")
APPS=("$@")
[ ${#APPS[@]} -gt 0 ] || APPS=(express4-cjs koa3-esm nest11 fastify5)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cachette-tarballs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tgz"
for pkg in packages/*/; do
  [ -f "$pkg/dist/index.js" ] || { echo "no build in $pkg: run pnpm run build" >&2; exit 1; }
done
pnpm -r --filter './packages/*' pack --pack-destination "$WORK/tgz" >/dev/null
for pkg in packages/*/; do
  name="$(basename "$pkg")"
  mv "$WORK"/tgz/cachette-"$name"-*.tgz "$WORK/tgz/cachette-$name.tgz"
  # only what users need: the build (an entry per export, the chunks they share), README, LICENSE and package.json
  extra="$(tar tzf "$WORK/tgz/cachette-$name.tgz" | grep -vE '^package/(dist/[a-z][a-z-]*(-[A-Za-z0-9_-]{8})?\.(c?js|d\.c?ts)(\.map)?|README\.md|LICENSE|package\.json)$' || true)"
  [ -z "$extra" ] || { echo "@cachette/$name tarball holds more than it should:"$'\n'"$extra" >&2; exit 1; }
done

echo "packed in ${SECONDS}s"

# the installs wait on the network more than on the cores: all at once
for app in "${APPS[@]}"; do
  cp -r "test/tarball/$app" "$WORK/$app"
  (cd "$WORK/$app" && npm install --no-audit --no-fund --prefer-offline --ignore-scripts --loglevel=error >install.log 2>&1 && touch installed) &
done
wait
echo "installed in ${SECONDS}s"

failed=()
for app in "${APPS[@]}"; do
  dir="$WORK/$app"
  echo "== $app"
  if [ ! -f "$dir/installed" ]; then
    cat "$dir/install.log"
    failed+=("$app")
    continue
  fi
  entry=index.js
  case "$app" in
    koa3-esm) entry=build/index.js ;;
    nest11) entry=build/main.js ;;
    fastify5) entry=index.mjs ;;
  esac
  # the TypeScript apps: one tsc pass type-checks (a type error fails it, as `tsc --noEmit` would) and emits
  if [ -f "$dir/tsconfig.json" ] && ! (cd "$dir" && "${TSC[@]}" -p .); then
    failed+=("$app")
    continue
  fi
  # optional peers stay optional: npm installs no tsyringe for Nest, which does not need it
  if [ "$app" = nest11 ] && [ -e "$dir/node_modules/tsyringe" ]; then
    echo "$app: npm installed tsyringe, which nothing here needs"
    failed+=("$app")
    continue
  fi
  node test/tarball/check.mjs "$dir" "$entry" "$app" || failed+=("$app")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "tarball test failed: ${failed[*]}"
  exit 1
fi
echo "tarball test: ${APPS[*]} passed in ${SECONDS}s"
