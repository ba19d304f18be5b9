#!/usr/bin/env bash
# Local Jaeger v2 all-in-one (an OpenTelemetry Collector distribution) on
# 127.0.0.1 with in-memory storage, built from its Go module. No Docker.
#
# usage: scripts/jaeger.sh install | up | down | status
#
#   install  build the pinned Jaeger into .tools/bin/jaeger (once; a stamp file
#            records the version, so later runs do nothing and print nothing)
#   up       install if needed, write a config into .run/jaeger-<OTLP HTTP port>/,
#            start Jaeger in the background, wait until its health check and
#            query API answer, then print
#              OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:<OTLP HTTP port>
#              JAEGER_QUERY_URL=http://127.0.0.1:<query port>
#   down     stop the Jaeger of that run dir (its log is kept there)
#   status   say whether that Jaeger is running (exit code 1 if not)
#
# What runs: receivers otlp (gRPC + HTTP) -> jaeger_storage_exporter -> memory
# store (no batch processor, so a trace is queryable as soon as the OTLP export
# call returns); extensions jaeger_query (HTTP API + UI, gRPC API) and
# healthcheckv2 (GET /status). Nothing else listens.
#
# environment:
#   JAEGER_OTLP_HTTP_PORT   OTLP/HTTP receiver (default 4318)
#   JAEGER_OTLP_GRPC_PORT   OTLP/gRPC receiver (default 4317)
#   JAEGER_QUERY_PORT       query HTTP API and UI (default 16686)
#   JAEGER_QUERY_GRPC_PORT  query gRPC API (default 16685)
#   JAEGER_HEALTH_PORT      healthcheckv2 HTTP, GET /status (default 13133)
#   JAEGER_RUN_DIR          default <repo>/.run/jaeger-<JAEGER_OTLP_HTTP_PORT>
#   JAEGER_MAX_TRACES       memory store capacity (default 100000)
#   JAEGER_READY_TIMEOUT    seconds `up` waits for Jaeger (default 60)
#   OTEL_EXPORTER_OTLP_ENDPOINT and JAEGER_QUERY_URL
#                           if both are set, an external Jaeger is used: up/down do nothing
#
# The build: Jaeger's v2 tags (v2.x.y) have no /v2 module path, so the Go proxy
# refuses them; the same commits are tagged v1.x.y (v1.76.0 = Jaeger 2.13.0, the
# image the Helm chart uses), whose cmd/jaeger is the v2 binary. `go install
# module/cmd/jaeger@v1.76.0` is refused too, because Jaeger's go.mod has a
# replace directive; so the module is fetched from the proxy (`go mod download`,
# checksum-verified against sum.golang.org) and `go install ./cmd/jaeger` runs in
# its own tree, with its own go.mod/go.sum (-mod=readonly), as upstream builds it.
# The UI is a separate npm build and is not included (the query API is).
#
# exit codes: 0 ok, 1 failure, 2 usage, 3 port already in use (see with-jaeger.sh)
set -euo pipefail

JAEGER_MODULE=github.com/jaegertracing/jaeger
JAEGER_MODULE_VERSION=v1.76.0 # tagged together with v2.13.0 (2025-12-03)
JAEGER_VERSION=v2.13.0
JAEGER_BUILD_DATE=2025-12-03T16:07:08Z # the module version's time on the Go proxy
# Bump when the way the binary is built changes, so existing installs are rebuilt.
BUILD_RECIPE=1

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
HOST=127.0.0.1
# shellcheck source=scripts/lib/local-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-server.sh"

BIN_DIR="$ROOT/.tools/bin"
JAEGER_BIN="$BIN_DIR/jaeger"
STAMP="$BIN_DIR/.jaeger.version"
STAMP_VALUE="$JAEGER_VERSION module=$JAEGER_MODULE@$JAEGER_MODULE_VERSION recipe=$BUILD_RECIPE"

JAEGER_OTLP_HTTP_PORT=${JAEGER_OTLP_HTTP_PORT:-4318}
JAEGER_OTLP_GRPC_PORT=${JAEGER_OTLP_GRPC_PORT:-4317}
JAEGER_QUERY_PORT=${JAEGER_QUERY_PORT:-16686}
JAEGER_QUERY_GRPC_PORT=${JAEGER_QUERY_GRPC_PORT:-16685}
JAEGER_HEALTH_PORT=${JAEGER_HEALTH_PORT:-13133}
JAEGER_MAX_TRACES=${JAEGER_MAX_TRACES:-100000}
JAEGER_READY_TIMEOUT=${JAEGER_READY_TIMEOUT:-60}

STATE_DIR="$ROOT/.run"
LOCK_DIR="$STATE_DIR/locks"
RUN_DIR=${JAEGER_RUN_DIR:-$STATE_DIR/jaeger-$JAEGER_OTLP_HTTP_PORT}
RUN_MARKER_NAME=.paxfleet-jaeger
CONFIG="$RUN_DIR/config.yaml"
PID_FILE="$RUN_DIR/jaeger.pid"
LOG_FILE="$RUN_DIR/jaeger.log"

die() {
  echo "jaeger.sh: $*" >&2
  exit 1
}

note() {
  echo "jaeger.sh: $*" >&2
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

installed() {
  [[ -x $JAEGER_BIN && -f $STAMP && "$(<"$STAMP")" == "$STAMP_VALUE" ]]
}

cmd_install() {
  installed && return 0
  command -v go >/dev/null 2>&1 || die "go not found on PATH (Jaeger is built from its Go module)"
  mkdir -p "$BIN_DIR"
  # Serialise concurrent installs.
  local lock_fd
  exec {lock_fd}>"$BIN_DIR/.jaeger.lock"
  flock "$lock_fd"
  if installed; then
    exec {lock_fd}>&-
    return 0
  fi
  note "building Jaeger $JAEGER_VERSION ($JAEGER_MODULE@$JAEGER_MODULE_VERSION, cmd/jaeger) into ${JAEGER_BIN#"$ROOT"/}; the first build takes several minutes ..."
  local started=$SECONDS dir tmp log
  log=$(mktemp)
  # Outside any go.mod/go.work, so only the pinned module is resolved.
  if ! dir=$(cd "$BIN_DIR" && GOWORK=off GOFLAGS="" go mod download -json "$JAEGER_MODULE@$JAEGER_MODULE_VERSION" 2>"$log" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') || [[ -z $dir || ! -d $dir/cmd/jaeger ]]; then
    cat "$log" >&2
    rm -f "$log"
    die "go mod download $JAEGER_MODULE@$JAEGER_MODULE_VERSION failed"
  fi
  tmp=$(mktemp -d "$BIN_DIR/.jaeger-build.XXXXXX")
  local v=$JAEGER_MODULE/internal/version
  if ! (cd "$dir" && GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 GOBIN="$tmp" \
    go install -trimpath \
    -ldflags "-s -w -X $v.latestVersion=$JAEGER_VERSION -X $v.commitSHA=$JAEGER_MODULE_VERSION -X $v.date=$JAEGER_BUILD_DATE" \
    ./cmd/jaeger) >"$log" 2>&1; then
    cat "$log" >&2
    rm -rf "$tmp" "$log"
    die "building Jaeger failed"
  fi
  rm -f "$log"
  mv -f "$tmp/jaeger" "$JAEGER_BIN"
  rm -rf "$tmp"
  printf '%s' "$STAMP_VALUE" >"$STAMP"
  exec {lock_fd}>&-
  note "built Jaeger $JAEGER_VERSION in $((SECONDS - started))s"
}

external_jaeger() {
  if [[ -n ${OTEL_EXPORTER_OTLP_ENDPOINT:-} && -n ${JAEGER_QUERY_URL:-} ]]; then
    note "OTEL_EXPORTER_OTLP_ENDPOINT and JAEGER_QUERY_URL are set ($OTEL_EXPORTER_OTLP_ENDPOINT, $JAEGER_QUERY_URL): using that Jaeger, nothing to $1"
    return 0
  fi
  return 1
}

is_our_jaeger() {
  local args
  args=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ $(head -n1 <<<"$args") == "$JAEGER_BIN" ]] && grep -qxF -- "--config=$CONFIG" <<<"$args"
}

# Pid of the Jaeger started with this run dir's config, if it is running.
jaeger_pids() {
  local pid
  if [[ -f $PID_FILE ]]; then
    pid=$(<"$PID_FILE")
    if [[ $pid =~ ^[0-9]+$ ]] && is_our_jaeger "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  for pid in $(pgrep -x jaeger || true); do
    if is_our_jaeger "$pid"; then echo "$pid"; fi
  done
  return 0
}

write_config() {
  cat >"$CONFIG" <<EOF
# Generated by scripts/jaeger.sh: Jaeger $JAEGER_VERSION all-in-one, in-memory
# storage, everything on $HOST. Recreated by every \`jaeger.sh up\`.
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: none
    logs:
      level: info
      encoding: console

extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: $HOST:$JAEGER_HEALTH_PORT
      status:
        enabled: true
        path: /status

  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: $JAEGER_MAX_TRACES

  jaeger_query:
    storage:
      traces: memstore
    # Do not trace the query service itself into the store.
    enable_tracing: false
    http:
      endpoint: $HOST:$JAEGER_QUERY_PORT
    grpc:
      endpoint: $HOST:$JAEGER_QUERY_GRPC_PORT

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: $HOST:$JAEGER_OTLP_GRPC_PORT
      http:
        endpoint: $HOST:$JAEGER_OTLP_HTTP_PORT

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
EOF
}

prepare_run_dir() {
  [[ -n $RUN_DIR && $RUN_DIR != / && $RUN_DIR != "$HOME" && $RUN_DIR != "$ROOT" ]] ||
    die "refusing to use '$RUN_DIR' as JAEGER_RUN_DIR"
  if [[ -d $RUN_DIR && ! -f $RUN_DIR/$RUN_MARKER_NAME ]] &&
    [[ -n $(ls -A "$RUN_DIR" 2>/dev/null) ]]; then
    die "$RUN_DIR exists, is not empty and was not made by jaeger.sh: refusing to use it"
  fi
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  : >"$RUN_DIR/$RUN_MARKER_NAME"
}

print_log_tail() {
  if [[ -s $LOG_FILE ]]; then
    echo "---- last lines of $LOG_FILE ----" >&2
    tail -n 40 "$LOG_FILE" >&2
  fi
}

http_ok() { # url
  curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
}

# Waits until the health check reports OK and the query API answers, or fails.
wait_ready() {
  local pid=$1 deadline=$((SECONDS + JAEGER_READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      note "Jaeger exited during startup"
      return 1
    fi
    if http_ok "http://$HOST:$JAEGER_HEALTH_PORT/status" &&
      http_ok "http://$HOST:$JAEGER_QUERY_PORT/api/services"; then
      return 0
    fi
    sleep 0.2
  done
  note "Jaeger was not ready (http://$HOST:$JAEGER_HEALTH_PORT/status and http://$HOST:$JAEGER_QUERY_PORT/api/services) within ${JAEGER_READY_TIMEOUT}s"
  return 1
}

# Stops the Jaeger of this run: SIGTERM, up to 20 s, then SIGKILL.
stop_jaeger() {
  stop_processes Jaeger "$(jaeger_pids)"
}

cmd_up() {
  external_jaeger "start" && return 0
  local -A names=(
    [$JAEGER_OTLP_HTTP_PORT]=JAEGER_OTLP_HTTP_PORT
  )
  local var port
  check_port_number JAEGER_OTLP_HTTP_PORT "$JAEGER_OTLP_HTTP_PORT"
  for var in JAEGER_OTLP_GRPC_PORT JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_HEALTH_PORT; do
    port=${!var}
    check_port_number "$var" "$port"
    [[ -z ${names[$port]:-} ]] || die "$var and ${names[$port]} are both $port: the ports must differ"
    names[$port]=$var
  done
  command -v curl >/dev/null 2>&1 || die "curl not found on PATH (it probes Jaeger's readiness)"
  cmd_install

  # Hold a lock per port while checking the ports and starting, so concurrent
  # `up`s (e.g. parallel with-jaeger.sh runs) cannot both pass the check.
  mkdir -p "$LOCK_DIR"
  local -a lock_fds=()
  local fd
  for var in JAEGER_OTLP_HTTP_PORT JAEGER_OTLP_GRPC_PORT JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_HEALTH_PORT; do
    port=${!var}
    exec {fd}>"$LOCK_DIR/port-$port.lock"
    lock_fds+=("$fd")
    if ! flock -n "$fd" || port_in_use "$port"; then
      echo "jaeger.sh: port $port on $HOST is already in use (set $var)" >&2
      exit 3
    fi
  done
  if [[ -n $(jaeger_pids) ]]; then
    die "a Jaeger from $RUN_DIR is still running on other ports: run 'jaeger.sh down' first"
  fi

  prepare_run_dir
  write_config

  note "starting Jaeger $JAEGER_VERSION on $HOST: OTLP HTTP $JAEGER_OTLP_HTTP_PORT, OTLP gRPC $JAEGER_OTLP_GRPC_PORT, query $JAEGER_QUERY_PORT (gRPC $JAEGER_QUERY_GRPC_PORT), health $JAEGER_HEALTH_PORT (log ${LOG_FILE#"$ROOT"/})"
  # setsid: own session, so a Ctrl-C in the calling terminal does not reach it.
  # The lock fds are closed for Jaeger so it does not keep the locks held.
  local -a close_fds=()
  for fd in "${lock_fds[@]}"; do close_fds+=("$fd>&-"); done
  eval 'setsid nohup "$JAEGER_BIN" --config="$CONFIG" </dev/null >"$LOG_FILE" 2>&1 '"${close_fds[*]}"' &'
  local pid=$!
  echo "$pid" >"$PID_FILE"

  if ! wait_ready "$pid"; then
    print_log_tail
    stop_jaeger
    exit 1
  fi
  for fd in "${lock_fds[@]}"; do exec {fd}>&-; done
  echo "OTEL_EXPORTER_OTLP_ENDPOINT=http://$HOST:$JAEGER_OTLP_HTTP_PORT"
  echo "JAEGER_QUERY_URL=http://$HOST:$JAEGER_QUERY_PORT"
}

cmd_down() {
  external_jaeger "stop" && return 0
  local running
  running=$(jaeger_pids)
  if [[ -n $running ]]; then
    note "stopping Jaeger on $HOST:$JAEGER_OTLP_HTTP_PORT (pid $(echo "$running" | tr '\n' ' ' | sed 's/ $//'))"
  fi
  stop_jaeger
  rm -f "$PID_FILE"
}

cmd_status() {
  if [[ -n ${OTEL_EXPORTER_OTLP_ENDPOINT:-} && -n ${JAEGER_QUERY_URL:-} ]]; then
    echo "external Jaeger: OTEL_EXPORTER_OTLP_ENDPOINT=$OTEL_EXPORTER_OTLP_ENDPOINT JAEGER_QUERY_URL=$JAEGER_QUERY_URL"
    return 0
  fi
  local pids
  pids=$(jaeger_pids)
  if [[ -n $pids ]]; then
    echo "running: pid $(echo "$pids" | tr '\n' ' ' | sed 's/ $//'), OTEL_EXPORTER_OTLP_ENDPOINT=http://$HOST:$JAEGER_OTLP_HTTP_PORT JAEGER_QUERY_URL=http://$HOST:$JAEGER_QUERY_PORT, run dir $RUN_DIR"
  else
    echo "not running (OTLP HTTP port $JAEGER_OTLP_HTTP_PORT, run dir $RUN_DIR)"
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
    echo "jaeger.sh: unknown command '$cmd'" >&2
    usage
    ;;
  esac
}

main "$@"
