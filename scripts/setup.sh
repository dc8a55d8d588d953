#!/usr/bin/env bash
# Sourced by test.sh and demo.sh: brings a fresh Debian/Node 20 machine to a built workspace.
PNPM_VERSION=10.34.9

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_apt() {   # ensure_apt <command> <package> ...pairs
  local need=()
  while [ $# -gt 0 ]; do
    command -v "$1" >/dev/null 2>&1 || need+=("$2")
    shift 2
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} (apt)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

ensure_workspace() {
  if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    echo "installing pnpm@$PNPM_VERSION"
    npm install -g --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
  fi
  # sqlite3 compiles with node-gyp against the Node headers that ship beside bin/node
  local node_prefix
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi
  local log
  log="$(mktemp)"
  if ! pnpm install --frozen-lockfile --reporter=append-only >"$log" 2>&1; then
    tail -n 60 "$log"
    rm -f "$log"
    return 1
  fi
  grep -E '^(Packages:|Done in)' "$log" || true
  rm -f "$log"
  pnpm run build >/dev/null
}

# A TCP port that nothing listens on now, chosen by the kernel.
free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
