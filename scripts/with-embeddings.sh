#!/usr/bin/env bash
# Runs a command with an OpenAI-compatible embeddings endpoint available.
#
# usage: scripts/with-embeddings.sh <command> [args...]
#
# If MODEL_BASE_URL is already set, the command is simply run against that
# provider (with MODEL_API_KEY, MODEL_TIMEOUT_MS and CLAIM_OVERLAP_EMBEDDING_MODEL
# of the environment). Otherwise the local all-MiniLM-L6-v2 server is started
# with scripts/embeddings.sh on the first free port from 19433 up, and the
# command gets
#   MODEL_BASE_URL=http://127.0.0.1:<port>/v1
#   CLAIM_OVERLAP_EMBEDDING_MODEL=all-MiniLM-L6-v2
# The server is always stopped afterwards, also when the command fails or the
# script is interrupted. The exit code is the command's (or embeddings.sh up's,
# if the server did not start). Progress goes to stderr.
set -euo pipefail

if (($# == 0)); then
  echo "usage: scripts/with-embeddings.sh <command> [args...]" >&2
  exit 2
fi

if [[ -n ${MODEL_BASE_URL:-} ]]; then
  exec "$@"
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EMBEDDINGS_SH="$SCRIPT_DIR/embeddings.sh"
HOST=127.0.0.1
# shellcheck source=scripts/lib/local-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-server.sh"
FIRST_PORT=19433
MAX_TRIES=50
port=

# Stops the server this script started; called from lib/with-server.sh on exit.
# shellcheck disable=SC2317
stop_server() {
  EMBEDDINGS_PORT="$port" bash "$EMBEDDINGS_SH" down ||
    { echo "with-embeddings.sh: stopping the embeddings server on port $port failed" >&2; return 1; }
}

# shellcheck source=scripts/lib/with-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/with-server.sh"

# Install first (silent once installed), so a cold install holds no port lock.
bash "$EMBEDDINGS_SH" install

up_rc=3
for ((try = 0; try < MAX_TRIES; try++)); do
  candidate=$((FIRST_PORT + try))
  port_in_use "$candidate" && continue
  port=$candidate
  started=1
  up_rc=0
  EMBEDDINGS_PORT=$port bash "$EMBEDDINGS_SH" up >/dev/null || up_rc=$?
  ((up_rc == 3)) || break
  started=0
  echo "with-embeddings.sh: trying the next port" >&2
done
if ((up_rc == 3)); then
  echo "with-embeddings.sh: no free port found in $FIRST_PORT-$((FIRST_PORT + MAX_TRIES - 1))" >&2
fi
if ((up_rc != 0)); then
  exit "$up_rc"
fi

export MODEL_BASE_URL="http://$HOST:$port/v1"
export CLAIM_OVERLAP_EMBEDDING_MODEL=all-MiniLM-L6-v2

run_command "$@"
