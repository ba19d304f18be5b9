#!/usr/bin/env bash
# The Kubernetes checks of `make test`, offline: the Helm chart lints, renders
# with every value set in helm/paxfleet/ci/, and what it renders (and every
# manifest under k8s/) is valid for Kubernetes and for the Strimzi, KEDA and
# Prometheus Operator CRDs in strict mode; the generated KafkaTopics,
# KafkaUsers and chart files (files/agents.yaml, files/blob-retention.yaml)
# match schemas/topics.json; rendered Deployments keep the probe,
# resource and security rules (tools/src/policy-check.ts). Tools and schemas
# come from .tools/ (scripts/k8s-tools.sh, a no-op once they are there).
# Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CHART=helm/paxfleet
KUBERNETES_VERSION="$(sed -n 's/^KUBERNETES_VERSION=v//p' scripts/k8s-tools.sh)"
HELM=.tools/bin/helm
KUBECONFORM=.tools/bin/kubeconform
SCHEMAS=.tools/k8s-schemas
KUBECONFORM_ARGS=(
  -strict -summary
  -schema-location "$SCHEMAS/kubernetes-v$KUBERNETES_VERSION/{{.ResourceKind}}{{.KindSuffix}}.json"
  -schema-location "$SCHEMAS/crds/{{.ResourceKind}}{{.KindSuffix}}.json"
)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=scripts/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/check.sh"

# The repository's own checks, run from their TypeScript sources in tools/.
tool() { # name args...
  local name="$1"
  shift
  node --conditions=paxfleet-source "tools/src/$name.ts" "$@"
}

render() { # values-file out.yaml
  "$HELM" template paxfleet "$CHART" --namespace paxfleet --kube-version "$KUBERNETES_VERSION" -f "$1" >"$2"
}

policy() { # values-file [flags]
  local values="$1" base
  shift
  base="$(basename "$values" .yaml)"
  render "$values" "$WORK/$base.yaml" || return 1
  tool policy-check "$base" "$@" <"$WORK/$base.yaml"
}

template_conforms() { # values-file
  local out
  out="$WORK/$(basename "$1" .yaml).conform.yaml"
  render "$1" "$out" || return 1
  "$KUBECONFORM" "${KUBECONFORM_ARGS[@]}" "$out"
}

rejects_unknown_values() {
  printf 'default:\n  replica: 2\n' >"$WORK/typo.yaml"
  if "$HELM" template paxfleet "$CHART" -f "$WORK/typo.yaml" >"$WORK/typo.out" 2>&1; then
    echo "values.schema.json accepted default.replica (a typo of replicas)"
    return 1
  fi
  grep -F "additional properties 'replica' not allowed" "$WORK/typo.out"
}

# The policy's blob rule can fail: an agent keeping bodies in its own emptyDir is refused.
policy_refuses_pod_local_blobs() {
  mkdir -p "$WORK/values"
  printf 'default:\n  env:\n    - name: BLOB_STORE\n      value: file\n    - name: BLOB_DIR\n      value: /tmp/blobs\n' >"$WORK/values/pod-local.yaml"
  if policy "$WORK/values/pod-local.yaml" >"$WORK/pod-local.out" 2>&1; then
    echo "the policy accepted BLOB_STORE=file in each pod's /tmp emptyDir"
    return 1
  fi
  grep -m1 -F "BLOB_STORE=file keeps bodies in /tmp/blobs on emptyDir, a pod-local directory other agents cannot read" "$WORK/pod-local.out"
}

# The chart's components are the catalog's agents: an override for any other name is refused.
refuses_unknown_component() {
  if "$HELM" template paxfleet "$CHART" --set components.newsletter.replicas=2 >"$WORK/unknown-component.out" 2>&1; then
    echo "components.newsletter (no agent of schemas/topics.json) rendered"
    return 1
  fi
  grep -F "components.newsletter: newsletter is not an agent of schemas/topics.json" "$WORK/unknown-component.out"
}

refuses_s3_without_bucket() {
  if "$HELM" template paxfleet "$CHART" --set blobs.store=s3 >"$WORK/no-bucket.out" 2>&1; then
    echo "blobs.store=s3 rendered without blobs.s3.bucket"
    return 1
  fi
  grep -F "/blobs/s3/bucket" "$WORK/no-bucket.out"
}

# A client certificate is mTLS: with SASL on, or without TLS, the agents would not present it.
refuses_client_certificate_with_sasl() {
  if "$HELM" template paxfleet "$CHART" -f "$CHART/ci/strimzi.yaml" \
    --set kafka.clientCertificate.enabled=true >"$WORK/certificate-with-sasl.out" 2>&1; then
    echo "kafka.clientCertificate.enabled rendered with kafka.sasl.enabled"
    return 1
  fi
  grep -F "kafka.clientCertificate.enabled needs kafka.tls.enabled and kafka.sasl.enabled false" \
    "$WORK/certificate-with-sasl.out"
}

# The coordinator and the dashboard listen beyond loopback in their pods and ask for a token by
# default: with no Secret of one's own named, the chart makes one and both read API_TOKENS from it.
api_tokens_from_secret() {
  "$HELM" template paxfleet "$CHART" --set components.dashboard.enabled=true >"$WORK/api-token.out" || return 1
  local from
  from=$(grep -A3 -F -- "- name: API_TOKENS" "$WORK/api-token.out" | grep -c -F "name: paxfleet-api-token")
  if ! grep -q -F "kind: Secret" "$WORK/api-token.out" || [ "$from" != 2 ]; then
    echo "with no api.tokenSecret.name: no Secret made, or API_TOKENS not from it in the coordinator and the dashboard ($from of 2)"
    return 1
  fi
  echo "paxfleet-api-token made, API_TOKENS from it in the coordinator and the dashboard"
}

# prometheusRule.disabledAlerts names alerts of files/alerts.yml: a name that is none is refused.
refuses_unknown_disabled_alert() {
  if "$HELM" template paxfleet "$CHART" --set prometheusRule.enabled=true --set 'prometheusRule.disabledAlerts={NoSuchAlert}' >"$WORK/unknown-alert.out" 2>&1; then
    echo "prometheusRule.disabledAlerts={NoSuchAlert} rendered"
    return 1
  fi
  grep -F "prometheusRule.disabledAlerts: NoSuchAlert is not an alert of files/alerts.yml" "$WORK/unknown-alert.out"
}

# all-features.yaml disables AgentModelBudgetSpent and adds team: fleet to every alert.
prometheusrule_values_apply() {
  render "$CHART/ci/all-features.yaml" "$WORK/all-features-rules.yaml"
  node - "$WORK/all-features-rules.yaml" <<'EOF_NODE'
const { readFileSync } = require('node:fs');
const text = readFileSync(process.argv[2], 'utf8');
const rule = text.split(/^---$/m).find((doc) => /^kind: PrometheusRule$/m.test(doc));
if (!rule) throw new Error('no PrometheusRule rendered');
const alerts = [...rule.matchAll(/^\s*- alert: (\S+)$/gm)].length;
const teams = [...rule.matchAll(/^\s*team: fleet$/gm)].length;
if (/alert: AgentModelBudgetSpent/.test(rule)) throw new Error('AgentModelBudgetSpent is disabled but rendered');
if (alerts === 0 || teams !== alerts) throw new Error(`${alerts} alerts, ${teams} with team: fleet`);
console.log(`${alerts} alerts, each with team: fleet, AgentModelBudgetSpent left out`);
EOF_NODE
}

if ! scripts/k8s-tools.sh; then
  echo "FAIL  tools: scripts/k8s-tools.sh could not provide helm, kubeconform and the schemas"
  echo "0 passed, 1 failed"
  exit 1
fi

check "helm lint $CHART" "$HELM" lint --strict "$CHART" --kube-version "$KUBERNETES_VERSION"
check "values.schema.json rejects unknown keys" rejects_unknown_values
shopt -s nullglob
value_sets=("$CHART"/ci/*.yaml)
[[ ${#value_sets[@]} -gt 0 ]] || { echo "FAIL  no value sets in $CHART/ci"; exit 1; }
for values in "${value_sets[@]}"; do
  name="$(basename "$values")"
  check "helm lint -f ci/$name" "$HELM" lint --strict "$CHART" --kube-version "$KUBERNETES_VERSION" -f "$values"
  check "helm template -f ci/$name | kubeconform -strict" template_conforms "$values"
  if [[ "$name" == default-values.yaml ]]; then
    check "policy ci/$name (one Deployment per agent)" policy "$values" --one-deployment-per-agent
  else
    check "policy ci/$name" policy "$values"
  fi
done
check "policy refuses bodies in a pod-local directory" policy_refuses_pod_local_blobs
check "blobs.store=s3 without a bucket refuses to render" refuses_s3_without_bucket
check "a components key that is not an agent refuses to render" refuses_unknown_component
check "kafka.clientCertificate with SASL refuses to render" refuses_client_certificate_with_sasl
check "the API's tokens come from a Secret, one the chart makes when none is named" api_tokens_from_secret
check "prometheusRule.disabledAlerts with an unknown alert refuses to render" refuses_unknown_disabled_alert
check "prometheusRule.alertLabels and disabledAlerts apply (ci/all-features.yaml)" prometheusrule_values_apply
check "kubeconform -strict k8s/" "$KUBECONFORM" "${KUBECONFORM_ARGS[@]}" k8s
check "k8s/topics, k8s/users and the chart's files/ match schemas/topics.json" tool gen-k8s-topics --check

check_summary
