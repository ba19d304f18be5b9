#!/usr/bin/env bash
# Makes .tools/bin hold the project's node (24 LTS) and pnpm (the pinned one),
# downloading only what is missing. Prints nothing when everything is in place.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
bin="$tools/bin"
node_version=$(cat "$root/.node-version")
pnpm_version=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$root/package.json")
node_major=${node_version%%.*}

mkdir -p "$bin"

fetch_npm_package() { # name version destination
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
  mkdir -p "$3.partial"
  tar -xzf "$tmp"/*.tgz -C "$3.partial" --strip-components=1
  rm -rf "$tmp" "$3"
  mv "$3.partial" "$3"
}

system_node_major() {
  local node
  node=$(PATH=${PATH//"$bin:"/} command -v node) || return 1
  "$node" -p 'process.versions.node.split(".")[0]' 2>/dev/null
}

link_node() {
  local system_major
  system_major=$(system_node_major || echo 0)
  if [ "$system_major" -ge "$node_major" ] && [ -z "${PAXFLEET_BUNDLED_NODE:-}" ]; then
    local system_node
    system_node=$(PATH=${PATH//"$bin:"/} command -v node)
    [ "$(readlink "$bin/node" 2>/dev/null)" = "$system_node" ] || ln -sfn "$system_node" "$bin/node"
    return
  fi
  local dir="$tools/node-v$node_version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "toolchain: node $(PATH=${PATH//"$bin:"/} node -v 2>/dev/null || echo none) is older than $node_major; fetching node $node_version from the npm registry" >&2
    fetch_npm_package "node-linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')" "$node_version" "$dir"
  fi
  ln -sfn "$dir/bin/node" "$bin/node"
}

link_pnpm() {
  local dir="$tools/pnpm-v$pnpm_version"
  if [ ! -f "$dir/bin/pnpm.cjs" ]; then
    echo "toolchain: fetching pnpm $pnpm_version from the npm registry" >&2
    fetch_npm_package pnpm "$pnpm_version" "$dir"
  fi
  local wrapper="$bin/pnpm"
  local body="#!/bin/sh
exec \"$bin/node\" \"$dir/bin/pnpm.cjs\" \"\$@\""
  [ -f "$wrapper" ] && [ "$(cat "$wrapper")" = "$body" ] && return
  printf '%s\n' "$body" >"$wrapper"
  chmod +x "$wrapper"
}

link_node
link_pnpm
