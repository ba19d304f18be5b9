#!/usr/bin/env bash
# Runs a command with an S3-compatible object store available.
#
# usage: scripts/with-s3.sh <command> [args...]
#
# If BLOB_S3_BUCKET is already set, the command is simply run against that
# bucket (with BLOB_S3_ENDPOINT, BLOB_S3_REGION, BLOB_S3_FORCE_PATH_STYLE and
# the AWS credentials of the environment). Otherwise a throw-away local S3Proxy
# is started with scripts/s3.sh on the first free port from 19333 up, with one
# bucket and a secret made for this run, and the command gets
#   BLOB_S3_ENDPOINT=http://127.0.0.1:<port>  BLOB_S3_BUCKET=paxfleet-local
#   BLOB_S3_REGION=us-east-1  BLOB_S3_FORCE_PATH_STYLE=true
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (that run's identity)
# The server is always stopped and its data deleted afterwards, also when the
# command fails or the script is interrupted. The exit code is the command's
# (or s3.sh up's, if the server did not start). Progress goes to stderr.
set -euo pipefail

if (($# == 0)); then
  echo "usage: scripts/with-s3.sh <command> [args...]" >&2
  exit 2
fi

if [[ -n ${BLOB_S3_BUCKET:-} ]]; then
  exec "$@"
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S3_SH="$SCRIPT_DIR/s3.sh"
HOST=127.0.0.1
# shellcheck source=scripts/lib/local-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-server.sh"
FIRST_PORT=19333
MAX_TRIES=50
BUCKET=paxfleet-local
port=
access_key=paxfleet-test
secret_key="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Stops the server this script started; called from lib/with-server.sh on exit.
# shellcheck disable=SC2317
stop_server() {
  S3_PORT="$port" bash "$S3_SH" down ||
    { echo "with-s3.sh: stopping the S3 server on port $port failed" >&2; return 1; }
}

# shellcheck source=scripts/lib/with-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/with-server.sh"

# Fetch first (silent once fetched), so a cold download holds no port lock.
bash "$S3_SH" install

up_rc=3
for ((try = 0; try < MAX_TRIES; try++)); do
  candidate=$((FIRST_PORT + try))
  port_in_use "$candidate" && continue
  port=$candidate
  started=1
  up_rc=0
  S3_PORT=$port S3_BUCKET=$BUCKET S3_ACCESS_KEY_ID=$access_key S3_SECRET_ACCESS_KEY=$secret_key \
    bash "$S3_SH" up >&2 || up_rc=$?
  ((up_rc == 3)) || break
  started=0
  echo "with-s3.sh: trying the next port" >&2
done
if ((up_rc == 3)); then
  echo "with-s3.sh: no free port found in $FIRST_PORT-$((FIRST_PORT + MAX_TRIES - 1))" >&2
fi
if ((up_rc != 0)); then
  exit "$up_rc"
fi

export BLOB_S3_ENDPOINT="http://$HOST:$port"
export BLOB_S3_BUCKET="$BUCKET"
export BLOB_S3_REGION=us-east-1
export BLOB_S3_FORCE_PATH_STYLE=true
export AWS_ACCESS_KEY_ID="$access_key"
export AWS_SECRET_ACCESS_KEY="$secret_key"

run_command "$@"
