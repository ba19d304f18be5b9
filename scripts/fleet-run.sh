#!/usr/bin/env bash
# Runs one of services/cli's fleet programs (make demo, make bench-fleet) on the
# cluster in KAFKA_BROKERS and the S3 bucket in BLOB_S3_BUCKET, or on a local
# broker and S3 server started (and stopped) here, after applying the topic
# catalog. The program starts each service in a directory of its own: they
# share only Kafka and the object store.
#
# usage: scripts/fleet-run.sh <program.ts under services/cli/src> [args...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if (($# == 0)); then
  echo "usage: scripts/fleet-run.sh <program.ts under services/cli/src> [args...]" >&2
  exit 2
fi
if [[ -z ${KAFKA_BROKERS:-} ]]; then
  exec scripts/with-kafka.sh "$0" "$@"
fi
if [[ -z ${BLOB_S3_BUCKET:-} ]]; then
  exec scripts/with-s3.sh "$0" "$@"
fi
echo "fleet: cluster $KAFKA_BROKERS, object store ${BLOB_S3_ENDPOINT:-S3} bucket $BLOB_S3_BUCKET" >&2
pnpm --filter @paxfleet/events -s run topics:apply >&2
program=$1
shift
exec node --conditions=paxfleet-source "services/cli/src/$program" "$@"
