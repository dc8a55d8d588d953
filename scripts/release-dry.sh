#!/usr/bin/env bash
# A release without publishing: applies the pending changesets (versions and changelogs) to a
# copy of the packages in a temp dir, never to this tree, then packs every package there.
# Usage: pnpm release:dry [out-dir]   (default: ./release-dry; needs `pnpm run build` first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$(mkdir -p "${1:-release-dry}" && cd "${1:-release-dry}" && pwd)"
rm -f "$OUT"/*.tgz

for dist in packages/*/dist; do [ -f "$dist/index.js" ] || { echo "no build in $dist: run pnpm run build" >&2; exit 1; }; done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# the workspace as changesets and pnpm pack see it: root manifest, packages, pending changesets
cp package.json "$WORK/"
printf 'packages:\n  - "packages/*"\n' >"$WORK/pnpm-workspace.yaml"
cp -r .changeset "$WORK/"
for pkg in packages/*/; do
  mkdir -p "$WORK/$pkg"
  cp -r "$pkg/package.json" "$pkg/dist" "$WORK/$pkg"
  for f in README.md LICENSE CHANGELOG.md; do [ -f "$pkg/$f" ] && cp "$pkg/$f" "$WORK/$pkg"; done
done
(cd "$WORK" && git init -q && git add -A && git -c user.name=dry -c user.email=dry@localhost commit -qm base)

(cd "$WORK" && "$ROOT/node_modules/.bin/changeset" version)
# what pnpm publish does to workspace: ranges, done here so that plain npm pack can pack the copy
node "$ROOT/scripts/resolve-workspace-ranges.mjs" "$WORK"/packages/*/package.json
for pkg in "$WORK"/packages/*/; do
  (cd "$pkg" && npm pack --silent --pack-destination "$OUT" >"$WORK/pack.log" 2>&1) || { cat "$WORK/pack.log" >&2; exit 1; }
  node -e 'const p=require(process.argv[1]); console.log(`${p.name}@${p.version}`)' "$pkg/package.json"
done
echo "changelogs:"
for log in "$WORK"/packages/*/CHANGELOG.md; do [ -f "$log" ] && echo "  ${log#"$WORK"/}: $(grep -c '^- ' "$log") entries"; done
echo "tarballs in $OUT:"
ls -1 "$OUT"/*.tgz
