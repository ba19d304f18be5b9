# shellcheck shell=bash
# Sourced by scripts/kafka.sh, scripts/jaeger.sh and their with-*.sh wrappers:
# the ports and processes of a server run on this machine. The sourcing script
# sets HOST and defines note() and die().

# check_port_number <variable> <value>: stops with a message naming the variable.
check_port_number() {
  if ! [[ $2 =~ ^[0-9]+$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
    die "$1 must be a TCP port number, got '$2'"
  fi
}

# port_in_use <port>: whether anything listens on, or answers at, HOST:port.
port_in_use() {
  if command -v ss >/dev/null 2>&1 && [[ -n $(ss -Htln "( sport = :$1 )" 2>/dev/null) ]]; then
    return 0
  fi
  (
    exec 2>/dev/null
    exec 3<>"/dev/tcp/$HOST/$1"
  )
}

# alive <pids>: those of the given pids that still exist.
alive() {
  local pid
  for pid in $1; do
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
  done
}

# stop_processes <what> <pids>: SIGTERM, up to 20 s, then SIGKILL and up to 5 s more.
stop_processes() {
  local what=$1 pids=$2 i
  [[ -n $pids ]] || return 0
  # shellcheck disable=SC2086 # word splitting of the pid list is intended
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    pids=$(alive "$pids")
    [[ -z $pids ]] && return 0
    sleep 0.1
  done
  note "$what did not stop within 20s: killing it"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pids=$(alive "$pids")
    [[ -z $pids ]] && return 0
    sleep 0.1
  done
  return 0
}
