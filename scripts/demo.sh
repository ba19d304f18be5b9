#!/usr/bin/env bash
# make demo: on the cluster in KAFKA_BROKERS, or a local broker started (and
# stopped) here, apply the topic catalog and run the fleet (services/cli demo).
# DEMO_ARGS=--once exits after the summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ -z ${KAFKA_BROKERS:-} ]]; then
  exec scripts/with-kafka.sh "$0" "$@"
fi
echo "demo: cluster $KAFKA_BROKERS"
pnpm --filter @paxfleet/events -s run topics:apply
exec node --conditions=paxfleet-source services/cli/src/demo.ts "$@"
