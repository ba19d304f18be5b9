#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed, for the dashboard's browser tests
# (driven by playwright-core, which downloads no browser of its own).
#
# usage: scripts/chromium.sh            install it if missing, print its path
#
# CHROMIUM=/path/to/chromium picks another binary. Otherwise /usr/bin/chromium is
# used when present; when it is not and apt-get is usable (running as root), the
# package is installed with `apt-get update && apt-get install chromium`, its .deb
# files kept in .tools/apt/ (git-ignored) so a reinstall on this machine downloads
# nothing. Otherwise this fails and says what to install: no browser, no pass.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'chromium.sh: %s\n' "$*" >&2; }

if [[ -n ${CHROMIUM:-} ]]; then
  [[ -x $CHROMIUM ]] || { say "CHROMIUM=$CHROMIUM is not an executable"; exit 1; }
  printf '%s\n' "$CHROMIUM"
  exit 0
fi
BIN=/usr/bin/chromium
if [[ -x $BIN ]]; then
  printf '%s\n' "$BIN"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "Chromium is not installed and there is no apt-get here: install Chromium and set CHROMIUM=/path/to/it."
  exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
  say "Chromium is not installed and installing it needs root:"
  say "  sudo apt-get update && sudo apt-get install -y chromium"
  say "(or set CHROMIUM=/path/to/chromium)"
  exit 1
fi
say "installing Chromium: apt-get install chromium (once; about 100 MB)"
archives="$ROOT/.tools/apt/archives"
mkdir -p "$archives/partial"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
apt_options=(-o "Dir::Cache::archives=$archives" -o "APT::Keep-Downloaded-Packages=true")
install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_options[@]}" chromium
}
# The cached .debs first; the package lists are refreshed only when they do not do.
if ! install >"$log" 2>&1; then
  if ! { apt-get update -qq && install; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    say "apt-get could not install the package 'chromium'; install it by hand or set CHROMIUM."
    exit 1
  fi
fi
[[ -x $BIN ]] || { say "the package 'chromium' installed, but $BIN is missing"; exit 1; }
printf '%s\n' "$BIN"
