#!/usr/bin/env bash
# Runs a command with a Jaeger v2 (OTLP in, query API out) available.
#
# usage: scripts/with-jaeger.sh <command> [args...]
#
# If OTEL_EXPORTER_OTLP_ENDPOINT and JAEGER_QUERY_URL are both already set, the
# command is simply run against that Jaeger. Otherwise a throw-away local one is
# started with scripts/jaeger.sh (in-memory storage) on the first free set of
# ports from
#   OTLP HTTP 14318, OTLP gRPC 14317, query 16687, query gRPC 16688, health 13134
# up, in steps of 10 (so it never collides with a developer's own Jaeger on
# 4318/4317/16686/16685/13133); the JAEGER_*_PORT variables of jaeger.sh, if all
# five are set, choose the ports instead. The command gets
#   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:<OTLP HTTP port>
#   JAEGER_QUERY_URL=http://127.0.0.1:<query port>
# and Jaeger is always stopped afterwards, also when the command fails or the
# script is interrupted (its log stays in .run/jaeger-<OTLP HTTP port>/jaeger.log).
# The exit code is the command's (or jaeger.sh up's, if Jaeger did not start).
# Progress messages go to stderr; the command's stdout is left alone.
set -euo pipefail

if (($# == 0)); then
  echo "usage: scripts/with-jaeger.sh <command> [args...]" >&2
  exit 2
fi

if [[ -n ${OTEL_EXPORTER_OTLP_ENDPOINT:-} && -n ${JAEGER_QUERY_URL:-} ]]; then
  exec "$@"
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAEGER_SH="$SCRIPT_DIR/jaeger.sh"
HOST=127.0.0.1
# shellcheck source=scripts/lib/local-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-server.sh"
MAX_TRIES=50
STEP=10
# OTLP HTTP, OTLP gRPC, query HTTP, query gRPC, health
FIRST_PORTS=(14318 14317 16687 16688 13134)
VARS=(JAEGER_OTLP_HTTP_PORT JAEGER_OTLP_GRPC_PORT JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_HEALTH_PORT)

ports=()

# Runs jaeger.sh with the chosen ports and without an inherited external Jaeger.
jaeger_sh() {
  env -u OTEL_EXPORTER_OTLP_ENDPOINT -u JAEGER_QUERY_URL \
    "${VARS[0]}=${ports[0]}" "${VARS[1]}=${ports[1]}" "${VARS[2]}=${ports[2]}" \
    "${VARS[3]}=${ports[3]}" "${VARS[4]}=${ports[4]}" \
    bash "$JAEGER_SH" "$@"
}

# Stops the Jaeger this script started; called from lib/with-server.sh on exit.
# shellcheck disable=SC2317
stop_server() {
  jaeger_sh down || { echo "with-jaeger.sh: stopping Jaeger (OTLP HTTP port ${ports[0]}) failed" >&2; return 1; }
}

# shellcheck source=scripts/lib/with-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/with-server.sh"

# Build first (silent when already built), so a cold build is not mistaken for
# a slow start and does not hold any port locks.
bash "$JAEGER_SH" install

# Start Jaeger. An `up` that finds a port taken exits with 3; with chosen ports
# that means someone else's Jaeger, which must not be stopped; otherwise another
# run got there first: try the next set.
all_set=1
for var in "${VARS[@]}"; do [[ -n ${!var:-} ]] || all_set=0; done
up_rc=0
if ((all_set)); then
  for i in "${!VARS[@]}"; do
    var=${VARS[i]}
    ports[i]=${!var}
  done
  started=1
  jaeger_sh up >&2 || up_rc=$?
  ((up_rc != 3)) || started=0
else
  up_rc=3
  for ((try = 0; try < MAX_TRIES; try++)); do
    ports=()
    busy=0
    for i in "${!FIRST_PORTS[@]}"; do
      ports[i]=$((FIRST_PORTS[i] + try * STEP))
      if port_in_use "${ports[i]}"; then busy=1; fi
    done
    ((busy)) && continue
    started=1
    up_rc=0
    jaeger_sh up >&2 || up_rc=$?
    ((up_rc == 3)) || break
    started=0
    echo "with-jaeger.sh: trying the next set of ports" >&2
  done
  if ((up_rc == 3)); then
    echo "with-jaeger.sh: no free set of ports found (tried ${FIRST_PORTS[*]} up to +$((STEP * (MAX_TRIES - 1))))" >&2
  fi
fi
if ((up_rc != 0)); then
  exit "$up_rc"
fi

export OTEL_EXPORTER_OTLP_ENDPOINT="http://$HOST:${ports[0]}"
export JAEGER_QUERY_URL="http://$HOST:${ports[2]}"

run_command "$@"
