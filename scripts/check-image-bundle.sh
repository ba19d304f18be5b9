#!/usr/bin/env bash
# The image checks of `make test`, with no Docker engine: builds the /app bundle
# of each service with scripts/bundle-service.sh (the script the Dockerfile runs)
# into a temporary folder, then checks what the image would hold: dist/main.js,
# no devDependencies, every dependency at its pnpm-lock.yaml version, workspace
# packages as compiled JavaScript only, the Kafka native addon loading with SSL
# and SCRAM, the event schemas embedded in code, and the service itself starting
# from the bundle with plain `node dist/main.js` (no --conditions), as the
# image's CMD does. The npm registry is asked only for metadata not yet cached.
#
# Usage: scripts/check-image-bundle.sh [service...]
# Default: every agent of the catalog (schemas/topics.json, as the chart deploys them),
# about 6 s each once `make build` has compiled; coordinator, research and
# content together use every library, for a quicker run.
# Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[[ -d .tools/bin ]] && PATH="$ROOT/.tools/bin:$PATH"

if [[ $# -gt 0 ]]; then
  services=("$@")
else
  # The catalog's agents, in its order (the chart renders the same ones).
  agents="$(node --conditions=paxfleet-source tools/src/list-agents.ts)"
  mapfile -t services <<<"$agents"
fi

WORK="$(mktemp -d)"
service_pid=""
cleanup() {
  [[ -n "$service_pid" ]] && kill -KILL "$service_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=scripts/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/check.sh"

# The image's environment (Dockerfile ENV) and nothing from this shell.
IMAGE_ENV=(env -i PATH="$PATH" NODE_ENV=production PORT=8080 HOST=0.0.0.0 UV_THREADPOOL_SIZE=16)

bundle() { # service
  scripts/bundle-service.sh "$1" "$WORK/$1"
}

# tools/src/inspect-image-bundle.ts, without --conditions=paxfleet-source: it loads the
# bundle's compiled packages as the image does.
inspect() { # check service
  node tools/src/inspect-image-bundle.ts "$1" "$WORK/$2"
}

# A bad setting must stop the service naming the variable; getting there means
# the compiled entry point and every module it imports resolved from the bundle.
rejects_bad_port() { # service
  local status=0
  (cd "$WORK/$1" && "${IMAGE_ENV[@]}" PORT=abc timeout 30 node dist/main.js) >"$WORK/$1.port.log" 2>&1 || status=$?
  cat "$WORK/$1.port.log"
  if [[ "$status" -eq 0 ]]; then
    echo "exited 0 with PORT=abc"
    return 1
  fi
  if grep -Eq 'ERR_MODULE_NOT_FOUND|ERR_UNSUPPORTED|ERR_DLOPEN_FAILED|Cannot find (module|package)' "$WORK/$1.port.log"; then
    echo "a module did not resolve"
    return 1
  fi
  local line
  line="$(grep -E '(^|[^A-Za-z_])PORT([^A-Za-z_]|$)' "$WORK/$1.port.log" | grep -v '^ *at ' | head -n 1)" || {
    echo "exit status $status but no message naming PORT"
    return 1
  }
  echo "exit $status: ${line#"${line%%[! ]*}"}"
}

# Started as the image starts it, with Kafka unreachable: the HTTP side comes up
# (liveness answers) while readiness waits for the broker.
serves_healthz() { # service
  local port url status=""
  port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
  url="http://127.0.0.1:$port"
  # exec: $! is then node itself, the process to kill.
  (cd "$WORK/$1" && exec "${IMAGE_ENV[@]}" PORT="$port" HOST=127.0.0.1 KAFKA_BROKERS=127.0.0.1:9 TMPDIR="$WORK" \
    node dist/main.js) >"$WORK/$1.run.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 100); do
    kill -0 "$service_pid" 2>/dev/null || break
    status="$(node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => {})' "$url/healthz")"
    [[ "$status" == 200 ]] && break
    sleep 0.1
  done
  local ready
  ready="$(node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => console.log("none"))' "$url/readyz")"
  kill -KILL "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  service_pid=""
  if [[ "$status" != 200 ]]; then
    head -n 40 "$WORK/$1.run.log"
    echo "GET /healthz did not answer 200 within 10 s (last: ${status:-no answer})"
    return 1
  fi
  echo "GET /healthz 200, /readyz $ready without a broker"
}

start="$(date +%s)"
for service in "${services[@]}"; do
  check "bundle $service (scripts/bundle-service.sh)" bundle "$service"
  if [[ ! -f "$WORK/$service/package.json" ]]; then
    continue
  fi
  check "$service: package.json type module, dist/main.js" inspect entry "$service"
  check "$service: no devDependencies" inspect devDependencies "$service"
  check "$service: dependencies at their locked versions" inspect lockedVersions "$service"
  check "$service: workspace packages as JavaScript; exports and bins resolve" inspect workspaceJavaScript "$service"
  check "$service: Kafka native addon present and loads" inspect kafkaAddon "$service"
  check "$service: event schemas embedded" inspect schemasEmbedded "$service"
  check "$service: node dist/main.js with PORT=abc stops naming PORT" rejects_bad_port "$service"
  check "$service: node dist/main.js serves /healthz" serves_healthz "$service"
done

echo "image bundles checked in $(($(date +%s) - start)) s"
check_summary
