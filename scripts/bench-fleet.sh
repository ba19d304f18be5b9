#!/usr/bin/env bash
# make bench-fleet: on the cluster in KAFKA_BROKERS and the S3 bucket in BLOB_S3_BUCKET,
# or a local broker and S3 server started (and stopped) here, apply the topic catalog
# and run services/cli's fleet benchmark (it prints one bench-fleet: line per configuration).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ -z ${KAFKA_BROKERS:-} ]]; then
  exec scripts/with-kafka.sh "$0" "$@"
fi
if [[ -z ${BLOB_S3_BUCKET:-} ]]; then
  exec scripts/with-s3.sh "$0" "$@"
fi
pnpm --filter @paxfleet/events -s run topics:apply >&2
exec node --conditions=paxfleet-source services/cli/src/bench/fleet-throughput.ts "$@"
