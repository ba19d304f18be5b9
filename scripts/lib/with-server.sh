# shellcheck shell=bash
# Sourced by scripts/with-kafka.sh and scripts/with-jaeger.sh: run a command
# with a server started for it, passing on signals and always stopping the
# server afterwards. The sourcing script defines stop_server, which runs on exit
# once it has set started=1. Sourcing installs the traps.
started=0
child=
sig_rc=

# shellcheck disable=SC2317 # called from the traps below
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if ((started)); then stop_server || true; fi
  exit "$rc"
}

# shellcheck disable=SC2317 # called from the traps below
on_signal() {
  if [[ $1 == INT ]]; then sig_rc=130; else sig_rc=143; fi
  # Background commands of a non-interactive shell ignore SIGINT, so pass on
  # TERM; the wait in run_command then returns and cleanup runs through EXIT.
  if [[ -n $child ]]; then
    kill -TERM "$child" 2>/dev/null || true
  else
    # Interrupted while the server was starting.
    exit "$sig_rc"
  fi
}

trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# run_command <command...>: runs it as a child (keeping stdin), then exits with
# its status, or 130/143 when interrupted by SIGINT/SIGTERM.
run_command() {
  "$@" <&0 &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  # A trapped signal interrupts `wait`; wait again for the real exit status.
  while kill -0 "$child" 2>/dev/null; do
    rc=0
    wait "$child" || rc=$?
  done
  exit "${sig_rc:-$rc}"
}
