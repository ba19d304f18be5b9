#!/usr/bin/env bash
# Runs Prometheus' promtool with the given arguments, installing it first if needed.
#
# usage: scripts/promtool.sh <promtool args...>      e.g. scripts/promtool.sh test rules x.test.yml
#        scripts/promtool.sh --install               only make sure promtool is there
#
# promtool comes from the Debian package `prometheus` (PROMTOOL=/path/to/promtool
# picks another binary). When it is not on PATH and apt-get is usable (running as
# root), the package is installed with `apt-get update && apt-get install prometheus`;
# otherwise this fails and says what to install. It never skips: no promtool, no pass.
set -euo pipefail

say() { printf 'promtool.sh: %s\n' "$*" >&2; }

find_promtool() {
  if [[ -n ${PROMTOOL:-} ]]; then
    [[ -x $PROMTOOL ]] || { say "PROMTOOL=$PROMTOOL is not an executable"; return 1; }
    printf '%s\n' "$PROMTOOL"
    return 0
  fi
  command -v promtool
}

install_promtool() {
  if ! command -v apt-get >/dev/null 2>&1; then
    say "promtool is not installed and there is no apt-get here."
    say "Install promtool (Debian/Ubuntu package 'prometheus', or the prometheus release"
    say "tarball from https://prometheus.io/download/) and put it on PATH, or set PROMTOOL."
    return 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    say "promtool is not installed and installing it needs root:"
    say "  sudo apt-get update && sudo apt-get install -y prometheus"
    say "(or put a promtool binary on PATH, or set PROMTOOL=/path/to/promtool)"
    return 1
  fi
  say "installing promtool: apt-get install prometheus"
  # The package's post-install may try to start the server; no service manager here is fine.
  local log
  log="$(mktemp)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    say "apt-get could not install the package 'prometheus' (which provides promtool)."
    say "Install promtool by hand and put it on PATH, or set PROMTOOL=/path/to/promtool."
    return 1
  fi
  rm -f "$log"
  command -v promtool >/dev/null 2>&1 || {
    say "the package 'prometheus' installed, but promtool is still not on PATH"
    return 1
  }
}

if ! PROMTOOL_BIN="$(find_promtool)"; then
  [[ -z ${PROMTOOL:-} ]] || exit 1
  install_promtool || exit 1
  PROMTOOL_BIN="$(command -v promtool)"
fi

if [[ ${1:-} == --install ]]; then
  exit 0
fi
exec "$PROMTOOL_BIN" "$@"
