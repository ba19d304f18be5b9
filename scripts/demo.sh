#!/usr/bin/env bash
# make demo: on the cluster in KAFKA_BROKERS and the S3 bucket in BLOB_S3_BUCKET,
# or a local broker and S3 server started (and stopped) here, apply the topic
# catalog and run the fleet (services/cli demo), each service in a directory of
# its own: they share only Kafka and the object store.
# DEMO_ARGS=--once exits after the summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ -z ${KAFKA_BROKERS:-} ]]; then
  exec scripts/with-kafka.sh "$0" "$@"
fi
if [[ -z ${BLOB_S3_BUCKET:-} ]]; then
  exec scripts/with-s3.sh "$0" "$@"
fi
echo "demo: cluster $KAFKA_BROKERS, object store ${BLOB_S3_ENDPOINT:-S3} bucket $BLOB_S3_BUCKET"
pnpm --filter @paxfleet/events -s run topics:apply
exec node --conditions=paxfleet-source services/cli/src/demo.ts "$@"
