#!/usr/bin/env bash
# Schemathesis, the property-based HTTP API fuzzer, from PyPI, for make test-fuzz.
#
# usage: scripts/schemathesis.sh        install it if missing, print the path of its command
#
# It lives in a virtual environment of its own, .tools/schemathesis-<version> (git-ignored),
# with the packages of scripts/schemathesis-requirements.txt (every one pinned), made with
# the first Python 3.10 or newer found (PYTHON=/path/to/python picks one); a run with it in
# place installs nothing, and a changed requirements file installs it again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="$ROOT/scripts/schemathesis-requirements.txt"
VERSION="$(sed -n 's/^schemathesis==//p' "$REQUIREMENTS")"
VENV="$ROOT/.tools/schemathesis-$VERSION"
BIN="$VENV/bin/schemathesis"
say() { printf 'schemathesis.sh: %s\n' "$*" >&2; }
wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"

if [[ -f $VENV/.complete && $(cat "$VENV/.complete") == "$wanted" ]]; then
  printf '%s\n' "$BIN"
  exit 0
fi

python=
for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3.10 python3; do
  [[ -n $candidate ]] && command -v "$candidate" >/dev/null 2>&1 || continue
  if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    python="$candidate"
    break
  fi
done
[[ -n $python ]] || { say "no Python 3.10 or newer on PATH (set PYTHON=/path/to/python3)"; exit 1; }

say "installing schemathesis $VERSION from PyPI into ${VENV#"$ROOT"/} (once)"
log="$(mktemp)"
# Made in place (a venv's scripts name its interpreter by absolute path); .complete marks
# a whole install, so an interrupted one is made again.
rm -rf "$VENV"
if ! { "$python" -m venv "$VENV" && "$VENV/bin/pip" install -q -r "$REQUIREMENTS"; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -rf "$VENV" "$log"
  say "installing schemathesis $VERSION failed"
  exit 1
fi
rm -f "$log"
printf '%s' "$wanted" >"$VENV/.complete"
printf '%s\n' "$BIN"
