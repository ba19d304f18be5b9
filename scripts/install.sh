#!/usr/bin/env bash
# Installs the workspace's dependencies with the project's toolchain. Where the
# Kafka client's prebuilt binary cannot be downloaded, its source build links
# librdkafka's dependencies from the system (CKJS_LINKING=dynamic), so the
# Debian development packages are installed first when apt is usable.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/toolchain.sh"
export PATH="$root/.tools/bin:$PATH"

native_packages=(libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev)

ensure_native_packages() {
  command -v dpkg-query >/dev/null || return 0
  local missing=()
  for package in "${native_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "install: apt-get install ${missing[*]} (to build the Kafka client)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "install: missing ${missing[*]}; if the Kafka client has to be built from source, install them (apt-get install ${missing[*]})" >&2
  fi
}

ensure_native_packages

# Build native addons against the headers of the node that runs them, not a
# nodedir from the user's npm config (which may belong to another Node).
node_prefix=$(dirname "$(dirname "$(readlink -f "$root/.tools/bin/node")")")
if [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi
export CKJS_LINKING="${CKJS_LINKING:-dynamic}"

pnpm install --frozen-lockfile --reporter=append-only
