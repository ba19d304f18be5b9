#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) on
# 127.0.0.1, run from the official Maven Central jars. No Docker, no tarball.
#
# usage: scripts/kafka.sh fetch | classpath | up | down | status | topics <args...>
#
#   fetch    download the jars into .kafka/lib-<version>/ (once; a marker file
#            records a complete download, so later runs do nothing); with
#            KAFKA_TIERED_STORAGE=1 also the remote storage manager's jar into
#            .kafka/lib-<version>-tiered-storage/ (once, the same way)
#   classpath  fetch if needed, print the Java classpath of the Kafka jars (clients,
#            tools: for benchmarks that run Kafka's own code)
#   up       fetch if needed, format a fresh data dir, start the broker in the
#            background, wait until it answers, print KAFKA_BROKERS=host:port
#   down     stop the broker of that data dir and delete the data dir
#   status   say whether that broker is running (exit code 1 if not)
#   topics   run the kafka-topics tool against it, e.g. `topics --list`
#
# environment:
#   KAFKA_PORT             client port (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT+1, so 9093)
#   KAFKA_SCRAM_PORT       if set, a second client listener there: SASL_SSL with
#                          SCRAM-SHA-512, for the user KAFKA_SCRAM_USERNAME with
#                          KAFKA_SCRAM_PASSWORD (created when formatting); its
#                          certificate (for 127.0.0.1) is signed by a CA made by
#                          `up` with openssl, at <data dir>/tls/ca.pem
#   KAFKA_SCRAM_USERS      with KAFKA_SCRAM_PORT: more SCRAM users created when
#                          formatting, space-separated name=password (letters,
#                          digits, . _ -), e.g. one per agent
#   KAFKA_MTLS_PORT        if set, another client listener there: SSL with
#                          ssl.client.auth=required (mTLS), the same server
#                          certificate, trusting only the run's CA; a client's
#                          principal is its certificate's subject by Kafka's default
#                          mapping, User:CN=<user>, as Strimzi's `tls` users are
#   KAFKA_MTLS_USERS       with KAFKA_MTLS_PORT: space-separated user names (letters,
#                          digits, . _ -), each given a client certificate (subject
#                          CN=<user>, signed by the run's CA) and key as PEM files,
#                          <data dir>/tls/clients/<user>.pem and <user>.key
#   KAFKA_MTLS_ADMIN       with KAFKA_MTLS_PORT: one more such user, a super user when
#                          KAFKA_AUTHORIZER=1 (the admin by certificate)
#   KAFKA_AUTHORIZER       1: StandardAuthorizer on, with KAFKA_SCRAM_PORT or
#                          KAFKA_MTLS_PORT: those listeners' users may do only what
#                          ACLs allow (none exist at start), except KAFKA_SCRAM_USERNAME
#                          and User:CN=<KAFKA_MTLS_ADMIN>, super users (the admins that
#                          set up ACLs); the PLAINTEXT and controller listeners'
#                          principal, User:ANONYMOUS, is a super user too (the broker
#                          itself, and tests that need no identity).
#                          Default 0 (off: every user may do anything)
#   KAFKA_DATA_DIR         default <repo>/.kafka/data-<KAFKA_PORT>
#   KAFKA_HEAP             default "-Xms256m -Xmx512m"
#   KAFKA_VERSION          default 4.3.1
#   KAFKA_READY_TIMEOUT    seconds `up` waits for the broker (default 60)
#   KAFKA_TIERED_STORAGE   1: tiered storage (KIP-405) on, with the remote storage
#                          manager of Kafka's own tests, LocalTieredStorage (from
#                          org.apache.kafka:kafka-storage:<version>, classifier
#                          test, loaded as a plugin: the broker's classpath stays
#                          the same), keeping remote segments in <data dir>/
#                          tiered-storage/kafka-tiered-storage/<topic>-<partition>-
#                          <topic id>/, and the default TopicBasedRemoteLogMetadata-
#                          Manager (one replica); segments are copied and local
#                          retention enforced within about a second. Topics opt in
#                          with remote.storage.enable=true. Default 0 (off).
#   KAFKA_BROKERS          if set, an external cluster is used: up/down do nothing
#
# exit codes: 0 ok, 1 failure, 2 usage, 3 port already in use (see with-kafka.sh)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
KAFKA_PORT=${KAFKA_PORT:-9092}
if [[ -z ${KAFKA_CONTROLLER_PORT:-} && $KAFKA_PORT =~ ^[0-9]+$ ]]; then
  KAFKA_CONTROLLER_PORT=$((10#$KAFKA_PORT + 1))
fi
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_SCRAM_PORT=${KAFKA_SCRAM_PORT:-}
KAFKA_SCRAM_USERS=${KAFKA_SCRAM_USERS:-}
KAFKA_MTLS_PORT=${KAFKA_MTLS_PORT:-}
KAFKA_MTLS_USERS=${KAFKA_MTLS_USERS:-}
KAFKA_MTLS_ADMIN=${KAFKA_MTLS_ADMIN:-}
KAFKA_AUTHORIZER=${KAFKA_AUTHORIZER:-0}
KAFKA_HEAP=${KAFKA_HEAP:--Xms256m -Xmx512m}
KAFKA_READY_TIMEOUT=${KAFKA_READY_TIMEOUT:-60}
HOST=127.0.0.1
# shellcheck source=scripts/lib/local-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-server.sh"

STATE_DIR="$ROOT/.kafka"
LOCK_DIR="$STATE_DIR/locks"
LIB_DIR="$STATE_DIR/lib-$KAFKA_VERSION"
KAFKA_TIERED_STORAGE=${KAFKA_TIERED_STORAGE:-0}
TIERED_LIB_DIR="$STATE_DIR/lib-$KAFKA_VERSION-tiered-storage"
TIERED_RSM_CLASS=org.apache.kafka.server.log.remote.storage.LocalTieredStorage
POM="$SCRIPT_DIR/kafka/pom.xml"
LOG4J_CONFIG="$SCRIPT_DIR/kafka/log4j2.yaml"
DATA_DIR=${KAFKA_DATA_DIR:-$STATE_DIR/data-$KAFKA_PORT}
DATA_MARKER_NAME=.paxfleet-kafka
PROPS="$DATA_DIR/server.properties"
PID_FILE="$DATA_DIR/kafka.pid"
LOG_DIR="$DATA_DIR/logs"
TLS_DIR="$DATA_DIR/tls"
CLIENTS_DIR="$TLS_DIR/clients"
TIERED_STORAGE_DIR="$DATA_DIR/tiered-storage"

# Lean JVM flags for the short-lived command-line tools.
TOOL_JVM_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx256m
  -Djava.awt.headless=true)

die() {
  echo "kafka.sh: $*" >&2
  exit 1
}

note() {
  echo "kafka.sh: $*" >&2
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

require_java() {
  command -v java >/dev/null 2>&1 || die "java not found on PATH (Java 17+ is needed)"
}

authorizer() {
  [[ $KAFKA_AUTHORIZER == 1 ]]
}

tiered_storage() {
  [[ $KAFKA_TIERED_STORAGE == 1 ]]
}

check_tiered_storage() {
  [[ $KAFKA_TIERED_STORAGE == 0 || $KAFKA_TIERED_STORAGE == 1 ]] ||
    die "KAFKA_TIERED_STORAGE must be 0 or 1, got '$KAFKA_TIERED_STORAGE'"
}

cmd_fetch() {
  fetch_jars "$LIB_DIR" "$KAFKA_VERSION" "Apache Kafka $KAFKA_VERSION jars" \
    "kafka_2.13-$KAFKA_VERSION.jar kafka-tools-$KAFKA_VERSION.jar" -DincludeScope=runtime
  if tiered_storage; then
    # Only the test-classifier jar: every other class it needs is the broker's.
    fetch_jars "$TIERED_LIB_DIR" "$KAFKA_VERSION-tiered-storage" \
      "Kafka $KAFKA_VERSION's test remote storage manager (kafka-storage, classifier test)" \
      "kafka-storage-$KAFKA_VERSION-test.jar" -P tiered-storage -DincludeClassifiers=test \
      -DexcludeTransitive=true
  fi
}

# fetch_jars <dir> <lock name> <what> <jars that must be there> <mvn args...>: copies
# the pom's dependencies into dir once; a marker file records a complete download.
fetch_jars() {
  local dir=$1 name=$2 what=$3 required=$4
  shift 4
  [[ -f $dir/.complete ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH (Maven fetches the Kafka jars)"
  mkdir -p "$LOCK_DIR"
  # Serialise concurrent fetches of the same version.
  local lock_fd
  exec {lock_fd}>"$LOCK_DIR/fetch-$name.lock"
  flock "$lock_fd"
  if [[ -f $dir/.complete ]]; then
    exec {lock_fd}>&-
    return 0
  fi
  note "fetching $what from Maven Central into ${dir#"$ROOT"/} ..."
  local tmp="$dir.tmp.$$" mvn_log="$STATE_DIR/fetch-$name.log" jar
  rm -rf "$tmp" "$dir"
  # Output goes to a log (Debian's Maven 3.8 prints colour codes even with -B -q)
  # and is shown only on failure.
  if ! mvn -B -q -f "$POM" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DoutputDirectory="$tmp" "$@" \
    >"$mvn_log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$mvn_log" >&2
    rm -rf "$tmp"
    die "fetching the $what with Maven failed (log: $mvn_log)"
  fi
  rm -f "$mvn_log"
  for jar in $required; do
    [[ -f $tmp/$jar ]] || die "Maven finished but $jar is missing from $tmp"
  done
  date -u +%Y-%m-%dT%H:%M:%SZ >"$tmp/.complete"
  mv "$tmp" "$dir"
  exec {lock_fd}>&-
  note "fetched $(find "$dir" -name '*.jar' | wc -l) jars"
}

external_cluster() {
  if [[ -n ${KAFKA_BROKERS:-} ]]; then
    note "KAFKA_BROKERS is set ($KAFKA_BROKERS): using that external cluster, nothing to $1"
    return 0
  fi
  return 1
}

# Pids of java processes running kafka.Kafka with this data dir's properties.
broker_pids() {
  local pid args
  if [[ -f $PID_FILE ]]; then
    pid=$(<"$PID_FILE")
    if [[ $pid =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  # No (valid) pid file: look for a broker started with our server.properties.
  for pid in $(pgrep -f 'kafka[.]Kafka' || true); do
    if is_our_broker "$pid"; then echo "$pid"; fi
  done
  return 0
}

is_our_broker() {
  local args
  args=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline") || return 1
  grep -qxF kafka.Kafka <<<"$args" && grep -qxF "$PROPS" <<<"$args"
}

write_server_properties() {
  local listeners="PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT"
  local protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if [[ -n $KAFKA_SCRAM_PORT ]]; then
    listeners+=",SCRAM://$HOST:$KAFKA_SCRAM_PORT"
    protocols+=",SCRAM:SASL_SSL"
  fi
  if [[ -n $KAFKA_MTLS_PORT ]]; then
    listeners+=",MTLS://$HOST:$KAFKA_MTLS_PORT"
    protocols+=",MTLS:SSL"
  fi
  cat >"$PROPS" <<EOF
# Generated by scripts/kafka.sh: single-node KRaft (combined mode) for local
# development and tests. Recreated by every \`kafka.sh up\`.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$KAFKA_CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$listeners
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=$protocols

log.dirs=$DATA_DIR/kraft-logs
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=false
delete.topic.enable=true

# Internal topics: one replica; fewer partitions than the default 50 so the
# first consumer group / transaction on a fresh broker is quick.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=10

# Tests start consumer groups often: no artificial rebalance delay.
group.initial.rebalance.delay.ms=0

# Retention is enforced within a second (Kafka's default looks every 5 minutes), so a
# test can watch a topic with a retention of seconds lose its records.
log.retention.check.interval.ms=1000
EOF
  if tiered_storage; then
    cat >>"$PROPS" <<EOF

# Tiered storage (KAFKA_TIERED_STORAGE=1, KIP-405): topics with
# remote.storage.enable=true have their rolled segments copied to the remote tier
# and deleted from the broker's disk after local.retention.ms; a fetch below the
# local log start is served from the remote tier. The remote tier here is
# LocalTieredStorage from Kafka's test jar: a directory on this machine.
remote.log.storage.system.enable=true
remote.log.storage.manager.class.name=$TIERED_RSM_CLASS
remote.log.storage.manager.class.path=$TIERED_LIB_DIR/*
remote.log.storage.manager.impl.prefix=rsm.config.
rsm.config.dir=$TIERED_STORAGE_DIR
# Segment metadata goes to the internal topic __remote_log_metadata, written and
# read over this listener: one replica, a few partitions.
remote.log.metadata.manager.listener.name=PLAINTEXT
remote.log.metadata.manager.impl.prefix=rlmm.config.
rlmm.config.remote.log.metadata.topic.replication.factor=1
rlmm.config.remote.log.metadata.topic.min.isr=1
rlmm.config.remote.log.metadata.topic.num.partitions=5
# Copy rolled segments every half second (default 30 s); local retention is
# checked every second, as retention is above, from a second after startup
# (default 30 s; Kafka's doc: for testing only), so a test on a fresh broker sees
# segments leave the broker's disk within seconds.
remote.log.manager.task.interval.ms=500
log.initial.task.delay.ms=1000
EOF
  fi
  if [[ -n $KAFKA_SCRAM_PORT ]]; then
    cat >>"$PROPS" <<EOF

# The SCRAM listener: TLS with a certificate from the CA in $TLS_DIR, clients
# authenticate with SCRAM-SHA-512 (users are created by the storage format).
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.scram.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.scram.ssl.keystore.type=PEM
listener.name.scram.ssl.keystore.location=$TLS_DIR/keystore.pem
EOF
  fi
  if [[ -n $KAFKA_MTLS_PORT ]]; then
    cat >>"$PROPS" <<EOF

# The mTLS listener: the same server certificate; a client must present a certificate
# signed by the run's CA. Its principal is the certificate's subject (the default
# ssl.principal.mapping.rules), User:CN=<user>, the name Strimzi gives a tls user.
listener.name.mtls.ssl.keystore.type=PEM
listener.name.mtls.ssl.keystore.location=$TLS_DIR/keystore.pem
listener.name.mtls.ssl.truststore.type=PEM
listener.name.mtls.ssl.truststore.location=$TLS_DIR/ca.pem
listener.name.mtls.ssl.client.auth=required
EOF
  fi
  if authorizer; then
    local super_users="User:ANONYMOUS"
    [[ -z $KAFKA_SCRAM_PORT ]] || super_users+=";User:$KAFKA_SCRAM_USERNAME"
    [[ -z $KAFKA_MTLS_ADMIN ]] || super_users+=";User:CN=$KAFKA_MTLS_ADMIN"
    cat >>"$PROPS" <<EOF

# KAFKA_AUTHORIZER=1: ACLs decide what each SCRAM or certificate user may do; a
# request no ACL allows is refused. Super users skip the ACLs: User:ANONYMOUS, the
# principal of the PLAINTEXT and controller listeners (this broker talking to itself
# as controller and broker, and local tools and tests that need no identity), and
# the admins by password and by certificate, which create the agents' ACLs. This is a
# loopback test broker: a real cluster has no unauthenticated listener, its
# brokers and controllers authenticate to each other by certificate (Strimzi's
# cluster CA) and those principals are its super users, and admin work goes
# through an authenticated user listed in super.users.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=$super_users
allow.everyone.if.no.acl.found=false
EOF
  fi
}

# A throw-away CA and a certificate for $HOST signed by it, for the SCRAM and mTLS
# listeners: $TLS_DIR/ca.pem for clients, keystore.pem (key and chain) for Kafka;
# with KAFKA_MTLS_PORT, a client certificate and key per user in $CLIENTS_DIR.
make_tls_material() {
  command -v openssl >/dev/null 2>&1 || die "openssl not found on PATH (it makes the TLS listeners' certificates)"
  mkdir -p "$TLS_DIR"
  (
    cd "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 7 \
      -subj "/CN=paxfleet local test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr -subj "/CN=$HOST"
    printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$HOST" >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 7 \
      -extfile broker.ext -out broker.pem
    openssl pkcs8 -topk8 -nocrypt -in broker.key -out broker.pk8
    cat broker.pk8 broker.pem >keystore.pem
    local user
    for user in $(mtls_users); do
      make_client_certificate "$user"
    done
    rm -f ca.key broker.key broker.csr broker.ext broker.pk8 ca.srl
  ) >"$LOG_DIR/tls.log" 2>&1 || {
    cat "$LOG_DIR/tls.log" >&2
    die "making the TLS listeners' certificates with openssl failed"
  }
}

# Every user given a client certificate: KAFKA_MTLS_USERS and KAFKA_MTLS_ADMIN.
mtls_users() {
  [[ -n $KAFKA_MTLS_PORT ]] || return 0
  echo "$KAFKA_MTLS_USERS${KAFKA_MTLS_ADMIN:+ $KAFKA_MTLS_ADMIN}"
}

# A client certificate for CN=<user> signed by the CA (run in $TLS_DIR, ca.key there):
# an EC key, which openssl makes in milliseconds where RSA takes a tenth of a second.
make_client_certificate() {
  local user=$1
  mkdir -p "$CLIENTS_DIR"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "clients/$user.key" -out "clients/$user.csr" -subj "/CN=$user"
  printf 'extendedKeyUsage=clientAuth\n' >"clients/$user.ext"
  openssl x509 -req -in "clients/$user.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 7 \
    -extfile "clients/$user.ext" -out "clients/$user.pem"
  rm -f "clients/$user.csr" "clients/$user.ext"
}

# A random Kafka cluster id (22-char URL-safe base64 of 16 bytes, like
# `kafka-storage random-uuid`) without paying for a JVM start.
random_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* && ${#id} == 22 ]] && break
  done
  echo "$id"
}

wipe_data_dir() {
  [[ -n $DATA_DIR && $DATA_DIR != / && $DATA_DIR != "$HOME" && $DATA_DIR != "$ROOT" ]] ||
    die "refusing to use '$DATA_DIR' as KAFKA_DATA_DIR"
  if [[ -d $DATA_DIR && ! -f $DATA_DIR/$DATA_MARKER_NAME ]] &&
    [[ -n $(ls -A "$DATA_DIR" 2>/dev/null) ]]; then
    die "$DATA_DIR exists, is not empty and was not made by kafka.sh: refusing to delete it"
  fi
  rm -rf "$DATA_DIR"
}

print_log_tail() {
  local f
  for f in "$LOG_DIR/server.log" "$LOG_DIR/stdout.log"; do
    if [[ -s $f ]]; then
      echo "---- last lines of $f ----" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

run_tool() {
  local class=$1
  shift
  java "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
    -Dpaxfleet.log.appender=STDERR -cp "$LIB_DIR/*" "$class" "$@"
}

check_mtls() {
  if [[ -z $KAFKA_MTLS_PORT ]]; then
    [[ -z $KAFKA_MTLS_USERS && -z $KAFKA_MTLS_ADMIN ]] ||
      die "KAFKA_MTLS_USERS and KAFKA_MTLS_ADMIN need KAFKA_MTLS_PORT"
    return 0
  fi
  check_port_number KAFKA_MTLS_PORT "$KAFKA_MTLS_PORT"
  [[ $KAFKA_MTLS_PORT != "$KAFKA_PORT" && $KAFKA_MTLS_PORT != "$KAFKA_CONTROLLER_PORT" &&
    $KAFKA_MTLS_PORT != "$KAFKA_SCRAM_PORT" ]] ||
    die "KAFKA_MTLS_PORT must differ from KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_SCRAM_PORT"
  local user
  for user in $(mtls_users); do
    [[ $user =~ ^[A-Za-z0-9._-]+$ ]] ||
      die "KAFKA_MTLS_USERS and KAFKA_MTLS_ADMIN must be user names (letters, digits, . _ -), got '$user'"
  done
}

cmd_up() {
  external_cluster "start" && return 0
  check_port_number KAFKA_PORT "$KAFKA_PORT"
  check_port_number KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
  [[ $KAFKA_PORT != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  local -a scram_user=()
  if [[ -n $KAFKA_SCRAM_PORT ]]; then
    check_port_number KAFKA_SCRAM_PORT "$KAFKA_SCRAM_PORT"
    [[ $KAFKA_SCRAM_PORT != "$KAFKA_PORT" && $KAFKA_SCRAM_PORT != "$KAFKA_CONTROLLER_PORT" ]] ||
      die "KAFKA_SCRAM_PORT must differ from KAFKA_PORT and KAFKA_CONTROLLER_PORT"
    [[ ${KAFKA_SCRAM_USERNAME:-} =~ ^[A-Za-z0-9._-]+$ ]] ||
      die "KAFKA_SCRAM_USERNAME must be set (letters, digits, . _ -) when KAFKA_SCRAM_PORT is"
    [[ ${KAFKA_SCRAM_PASSWORD:-} =~ ^[A-Za-z0-9._-]+$ ]] ||
      die "KAFKA_SCRAM_PASSWORD must be set (letters, digits, . _ -) when KAFKA_SCRAM_PORT is"
    scram_user=(--add-scram "SCRAM-SHA-512=[name=$KAFKA_SCRAM_USERNAME,password=$KAFKA_SCRAM_PASSWORD]")
    local entry
    for entry in $KAFKA_SCRAM_USERS; do
      [[ $entry =~ ^([A-Za-z0-9._-]+)=([A-Za-z0-9._-]+)$ ]] ||
        die "KAFKA_SCRAM_USERS must be name=password entries (letters, digits, . _ -), got '${entry%%=*}=...'"
      scram_user+=(--add-scram "SCRAM-SHA-512=[name=${BASH_REMATCH[1]},password=${BASH_REMATCH[2]}]")
    done
  else
    [[ -z $KAFKA_SCRAM_USERS ]] || die "KAFKA_SCRAM_USERS needs KAFKA_SCRAM_PORT"
  fi
  check_mtls
  [[ $KAFKA_AUTHORIZER == 0 || $KAFKA_AUTHORIZER == 1 ]] ||
    die "KAFKA_AUTHORIZER must be 0 or 1, got '$KAFKA_AUTHORIZER'"
  ! authorizer || [[ -n $KAFKA_SCRAM_PORT || -n $KAFKA_MTLS_PORT ]] ||
    die "KAFKA_AUTHORIZER=1 needs KAFKA_SCRAM_PORT or KAFKA_MTLS_PORT (the ACLs apply to their users)"
  check_tiered_storage
  require_java
  cmd_fetch

  # Hold a lock per port while checking the ports and starting, so concurrent
  # `up`s (e.g. parallel with-kafka.sh runs) cannot both pass the check.
  mkdir -p "$LOCK_DIR"
  local lock_fd clock_fd
  exec {lock_fd}>"$LOCK_DIR/port-$KAFKA_PORT.lock"
  exec {clock_fd}>"$LOCK_DIR/port-$KAFKA_CONTROLLER_PORT.lock"
  if ! flock -n "$lock_fd" || port_in_use "$KAFKA_PORT"; then
    echo "kafka.sh: port $KAFKA_PORT on $HOST is already in use (set KAFKA_PORT)" >&2
    exit 3
  fi
  if ! flock -n "$clock_fd" || port_in_use "$KAFKA_CONTROLLER_PORT"; then
    echo "kafka.sh: controller port $KAFKA_CONTROLLER_PORT on $HOST is already in use (set KAFKA_CONTROLLER_PORT)" >&2
    exit 3
  fi
  if [[ -n $KAFKA_SCRAM_PORT ]] && port_in_use "$KAFKA_SCRAM_PORT"; then
    echo "kafka.sh: SCRAM port $KAFKA_SCRAM_PORT on $HOST is already in use (set KAFKA_SCRAM_PORT)" >&2
    exit 3
  fi
  if [[ -n $KAFKA_MTLS_PORT ]] && port_in_use "$KAFKA_MTLS_PORT"; then
    echo "kafka.sh: mTLS port $KAFKA_MTLS_PORT on $HOST is already in use (set KAFKA_MTLS_PORT)" >&2
    exit 3
  fi
  if [[ -n $(broker_pids) ]]; then
    die "a broker from $DATA_DIR is still running on other ports: run 'kafka.sh down' first"
  fi

  wipe_data_dir
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  : >"$DATA_DIR/$DATA_MARKER_NAME"
  [[ -z $KAFKA_SCRAM_PORT && -z $KAFKA_MTLS_PORT ]] || make_tls_material
  write_server_properties

  local cluster_id
  cluster_id=$(random_cluster_id)
  if ! run_tool kafka.tools.StorageTool format --standalone \
    --cluster-id "$cluster_id" --config "$PROPS" "${scram_user[@]}" >"$LOG_DIR/format.log" 2>&1; then
    cat "$LOG_DIR/format.log" >&2
    die "formatting the storage in $DATA_DIR failed"
  fi

  local tiered=
  tiered_storage && tiered=", tiered storage in ${TIERED_STORAGE_DIR#"$ROOT"/}"
  note "starting Kafka $KAFKA_VERSION on $HOST:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT, data ${DATA_DIR#"$ROOT"/}$tiered)"
  local -a heap
  read -r -a heap <<<"$KAFKA_HEAP"
  # setsid: own session, so a Ctrl-C in the calling terminal does not reach it.
  # The lock fds are closed for the broker so it does not keep the locks held.
  setsid nohup java "${heap[@]}" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.logs.dir="$LOG_DIR" \
    -Dpaxfleet.log.appender=FILE \
    -cp "$LIB_DIR/*" kafka.Kafka "$PROPS" \
    </dev/null >"$LOG_DIR/stdout.log" 2>&1 {lock_fd}>&- {clock_fd}>&- &
  local pid=$!
  echo "$pid" >"$PID_FILE"

  if ! wait_ready "$pid"; then
    print_log_tail
    stop_broker
    exit 1
  fi
  exec {lock_fd}>&- {clock_fd}>&-
  echo "KAFKA_BROKERS=$HOST:$KAFKA_PORT"
}

# 0 if a Kafka broker answers on HOST:$1: sends an ApiVersions v0 request
# (correlation id 42) over bash's /dev/tcp and checks the response header and
# error code. No JVM needed. The broker opens its client listener only at the
# very end of startup (after catching up with the controller and being
# unfenced), so an answer here means it is ready for clients.
kafka_answers() {
  local reply
  reply=$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/$HOST/$1" || exit 1
    # size=12 | api_key=18 | api_version=0 | correlation_id=42 | client_id="px"
    printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x2a\x00\x02px' >&3
    timeout 3 head -c 10 <&3 | od -An -tx1 | tr -d ' \n'
  ) || return 1
  # size(4 bytes, any) | correlation_id=42 | error_code=0
  [[ $reply == ????????0000002a0000 ]]
}

# Waits until the broker answers on its client port, or fails.
wait_ready() {
  local pid=$1 deadline=$((SECONDS + KAFKA_READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      note "the broker exited during startup"
      return 1
    fi
    kafka_answers "$KAFKA_PORT" && return 0
    sleep 0.2
  done
  note "the broker did not answer on $HOST:$KAFKA_PORT within ${KAFKA_READY_TIMEOUT}s"
  return 1
}

# Stops the broker of this run: SIGTERM, up to 20 s, then SIGKILL.
stop_broker() {
  stop_processes broker "$(broker_pids)"
}

cmd_down() {
  external_cluster "stop" && return 0
  local running
  running=$(broker_pids)
  if [[ -n $running ]]; then
    note "stopping Kafka on $HOST:$KAFKA_PORT (pid $(echo "$running" | tr '\n' ' ' | sed 's/ $//'))"
  fi
  stop_broker
  if [[ -e $DATA_DIR ]]; then
    wipe_data_dir
  fi
}

cmd_status() {
  if [[ -n ${KAFKA_BROKERS:-} ]]; then
    echo "external cluster: KAFKA_BROKERS=$KAFKA_BROKERS"
    return 0
  fi
  local pids
  pids=$(broker_pids)
  if [[ -n $pids ]]; then
    echo "running: pid $(echo "$pids" | tr '\n' ' ' | sed 's/ $//'), KAFKA_BROKERS=$HOST:$KAFKA_PORT, data $DATA_DIR"
  else
    echo "not running (port $KAFKA_PORT, data $DATA_DIR)"
    return 1
  fi
}

cmd_topics() {
  require_java
  cmd_fetch
  local bootstrap=${KAFKA_BROKERS:-$HOST:$KAFKA_PORT}
  run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" "$@"
}

main() {
  (($# >= 1)) || usage
  local cmd=$1
  shift
  case $cmd in
  fetch) check_tiered_storage && require_java && cmd_fetch ;;
  classpath) require_java && cmd_fetch && echo "$LIB_DIR/*" ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  topics) cmd_topics "$@" ;;
  -h | --help | help) usage ;;
  *)
    echo "kafka.sh: unknown command '$cmd'" >&2
    usage
    ;;
  esac
}

main "$@"
