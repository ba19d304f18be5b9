#!/usr/bin/env bash
# Runs a command with a Kafka broker available in KAFKA_BROKERS.
#
# usage: scripts/with-kafka.sh <command> [args...]
#
# If KAFKA_BROKERS is already set, the command is simply run against that
# cluster. Otherwise a throw-away local broker is started with scripts/kafka.sh
# (on KAFKA_PORT if set, else on the first four free ports from 19092 up, so it
# never collides with a developer's own broker on 9092), KAFKA_BROKERS is
# exported to the command (and PAXFLEET_THROWAWAY_BROKER, naming it as the
# suite's own), with a second listener, TLS with SCRAM-SHA-512, for a user made
# for this run (PAXFLEET_TEST_SCRAM_BROKERS, PAXFLEET_TEST_SCRAM_USERNAME,
# PAXFLEET_TEST_SCRAM_PASSWORD, PAXFLEET_TEST_SCRAM_CA: the CA file that signed
# its certificate). That listener enforces ACLs (StandardAuthorizer): the run's
# user is a super user, the admin that creates ACLs; every agent of
# schemas/topics.json has a SCRAM user of its own, paxfleet-<agent>, with no ACL
# yet (PAXFLEET_TEST_AGENT_USERS: space-separated user=password, for
# test/src/acl.int.spec.ts; PAXFLEET_TEST_AUTHORIZER_LOG: the broker's log of every
# request an ACL refused). A third listener takes TLS client certificates only
# (mTLS, PAXFLEET_TEST_MTLS_BROKERS): every agent's user and the run's user have a
# certificate and key signed by the same CA, <user>.pem and <user>.key in
# PAXFLEET_TEST_MTLS_CERTS, principal User:CN=<user>; the run's user is a super
# user there too. The PLAINTEXT listener in KAFKA_BROKERS is a super user's, for
# every other test. The broker is always stopped and its data
# deleted afterwards, also when the command fails or the script is interrupted.
# The exit code is the command's (or kafka.sh up's, if the broker did not start).
# Progress messages go to stderr; the command's stdout is left alone.
set -euo pipefail

if (($# == 0)); then
  echo "usage: scripts/with-kafka.sh <command> [args...]" >&2
  exit 2
fi

if [[ -n ${KAFKA_BROKERS:-} ]]; then
  exec "$@"
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KAFKA_SH="$SCRIPT_DIR/kafka.sh"
HOST=127.0.0.1
# shellcheck source=scripts/lib/local-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-server.sh"
FIRST_PORT=19092
MAX_TRIES=50

port=
cport=
sport=
mport=
# The SCRAM user of this run: the broker is on loopback and thrown away after.
scram_user=paxfleet-test
random_password() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
scram_password="$(random_password)"
agent_users=
agent_names=
for agent in $(node --conditions=paxfleet-source "$SCRIPT_DIR/../tools/src/list-agents.ts"); do
  agent_users+="${agent_users:+ }paxfleet-$agent=$(random_password)"
  agent_names+="${agent_names:+ }paxfleet-$agent"
done

# Stops the broker this script started; called from lib/with-server.sh on exit.
# shellcheck disable=SC2317
stop_server() {
  env -u KAFKA_BROKERS KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT="$cport" bash "$KAFKA_SH" down ||
    { echo "with-kafka.sh: stopping the Kafka broker on port $port failed" >&2; return 1; }
}

# shellcheck source=scripts/lib/with-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/with-server.sh"

# Start the broker. An `up` that finds its port taken exits with 3; without an
# explicit KAFKA_PORT that just means another run got there first: try the
# next four ports.
up_rc=0
up() {
  KAFKA_PORT=$port KAFKA_CONTROLLER_PORT=$cport KAFKA_SCRAM_PORT=$sport \
    KAFKA_SCRAM_USERNAME=$scram_user KAFKA_SCRAM_PASSWORD=$scram_password \
    KAFKA_SCRAM_USERS=$agent_users KAFKA_MTLS_PORT=$mport KAFKA_MTLS_USERS=$agent_names \
    KAFKA_MTLS_ADMIN=$scram_user KAFKA_AUTHORIZER=1 bash "$KAFKA_SH" up >&2
}
if [[ -n ${KAFKA_PORT:-} ]]; then
  port=$KAFKA_PORT
  cport=${KAFKA_CONTROLLER_PORT:-$((10#$port + 1))}
  sport=${KAFKA_SCRAM_PORT:-$((10#$port + 2))}
  mport=${KAFKA_MTLS_PORT:-$((10#$port + 3))}
  started=1
  up || up_rc=$?
  # 3: the port belongs to someone else's broker, which must not be stopped.
  ((up_rc != 3)) || started=0
else
  candidate=$FIRST_PORT
  up_rc=3
  for ((try = 0; try < MAX_TRIES; try++, candidate += 4)); do
    if port_in_use "$candidate" || port_in_use "$((candidate + 1))" ||
      port_in_use "$((candidate + 2))" || port_in_use "$((candidate + 3))"; then
      continue
    fi
    port=$candidate
    cport=$((candidate + 1))
    sport=$((candidate + 2))
    mport=$((candidate + 3))
    started=1
    up_rc=0
    up || up_rc=$?
    ((up_rc == 3)) || break
    started=0
    echo "with-kafka.sh: trying the next four ports" >&2
  done
  if ((up_rc == 3)); then
    echo "with-kafka.sh: no four free ports found in $FIRST_PORT-$((FIRST_PORT + 4 * MAX_TRIES - 1))" >&2
  fi
fi
if ((up_rc != 0)); then
  exit "$up_rc"
fi

export KAFKA_BROKERS="$HOST:$port"
# Tests that use the catalog's own topics and consumer groups run only on a
# broker that is theirs to spoil (test/src/fleet.int.spec.ts).
export PAXFLEET_THROWAWAY_BROKER="$KAFKA_BROKERS"
export PAXFLEET_TEST_SCRAM_BROKERS="$HOST:$sport"
export PAXFLEET_TEST_SCRAM_USERNAME="$scram_user"
export PAXFLEET_TEST_SCRAM_PASSWORD="$scram_password"
export PAXFLEET_TEST_AGENT_USERS="$agent_users"
# kafka.sh's data dir for this port (KAFKA_DATA_DIR when set) holds the CA and the logs.
data_dir="${KAFKA_DATA_DIR:-$(cd "$SCRIPT_DIR/.." && pwd)/.kafka/data-$port}"
export PAXFLEET_TEST_SCRAM_CA="$data_dir/tls/ca.pem"
export PAXFLEET_TEST_AUTHORIZER_LOG="$data_dir/logs/authorizer.log"
export PAXFLEET_TEST_MTLS_BROKERS="$HOST:$mport"
export PAXFLEET_TEST_MTLS_CERTS="$data_dir/tls/clients"

run_command "$@"
