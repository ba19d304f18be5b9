#!/usr/bin/env bash
# The Apache Avro Java library and libs/events/interop/java/AvroInterop.java,
# compiled, for the Avro interoperability test (make test-interop).
#
# usage: scripts/avro-java.sh classpath   print the classpath (fetching and compiling first if needed)
#
# The jars come from Maven Central with `mvn dependency:copy-dependencies` into
# .tools/avro-java-<version>/lib (once); the class is compiled with javac into
# .tools/avro-java-<version>/classes whenever the source is newer.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC_DIR="$ROOT/libs/events/interop/java"
POM="$SRC_DIR/pom.xml"
VERSION="$(sed -n 's:.*<avro.version>\(.*\)</avro.version>.*:\1:p' "$POM")"
HOME_DIR="$ROOT/.tools/avro-java-$VERSION"
LIB_DIR="$HOME_DIR/lib"
CLASSES="$HOME_DIR/classes"

die() {
  echo "avro-java.sh: $*" >&2
  exit 1
}

fetch() {
  [[ -f $LIB_DIR/.complete ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH (Maven fetches the Avro jars)"
  echo "avro-java.sh: fetching Apache Avro $VERSION (Java) from Maven Central" >&2
  local tmp="$LIB_DIR.tmp.$$" log
  log="$(mktemp)"
  rm -rf "$tmp"
  if ! mvn -B -q -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" \
    -DincludeScope=runtime >"$log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" >&2
    rm -rf "$tmp" "$log"
    die "fetching the Avro $VERSION jars with Maven failed"
  fi
  rm -f "$log"
  [[ -f $tmp/avro-$VERSION.jar ]] || die "Maven finished but avro-$VERSION.jar is missing"
  touch "$tmp/.complete"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
}

compile() {
  local class="$CLASSES/AvroInterop.class"
  [[ -f $class && $class -nt $SRC_DIR/AvroInterop.java ]] && return 0
  command -v javac >/dev/null 2>&1 || die "javac not found on PATH (a JDK 17 or newer compiles the interop tool)"
  mkdir -p "$CLASSES"
  javac --release 17 -d "$CLASSES" -cp "$LIB_DIR/*" "$SRC_DIR/AvroInterop.java"
}

case "${1:-}" in
  classpath)
    fetch
    compile
    echo "$CLASSES:$LIB_DIR/*"
    ;;
  *)
    echo "usage: $0 classpath" >&2
    exit 2
    ;;
esac
