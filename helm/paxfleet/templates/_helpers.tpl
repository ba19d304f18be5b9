{{/* Prefix of every resource name: the release name when it already says paxfleet. */}}
{{- define "paxfleet.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "paxfleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels shared by every object of the release. */}}
{{- define "paxfleet.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "paxfleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: paxfleet
{{- end -}}

{{/*
The agents of schemas/topics.json, from files/agents.yaml (written by
tools/src/gen-k8s-topics.ts), as YAML: name -> autoscaling.consumerGroup and
autoscaling.topics. Fails when the file has no agents, or when `components` has a
key that is not one of them (a typo, or an agent the catalog does not declare).
  {{- $agents := include "paxfleet.agents" . | fromYaml }}
*/}}
{{- define "paxfleet.agents" -}}
{{- $file := .Files.Get "files/agents.yaml" | fromYaml -}}
{{- if or (hasKey $file "Error") (not $file.agents) -}}
{{- fail "files/agents.yaml has no agents: run node --conditions=paxfleet-source tools/src/gen-k8s-topics.ts" -}}
{{- end -}}
{{- range $name, $_ := default dict .Values.components -}}
{{- if not (hasKey $file.agents $name) -}}
{{- fail (printf "components.%s: %s is not an agent of schemas/topics.json (the agents: %s)" $name $name (keys $file.agents | sortAlpha | join ", ")) -}}
{{- end -}}
{{- end -}}
{{- toYaml $file.agents -}}
{{- end -}}

{{/*
Component objects are rendered with a dict:
  .root      the chart's root context
  .name      the component (agent) name
  .fullname  <fullname>-<name>, the name of its objects
  .c         `default`, the agent's entry in files/agents.yaml and components.<name>,
             deep-merged in that order
*/}}
{{- define "paxfleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "paxfleet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "paxfleet.labels" -}}
{{ include "paxfleet.commonLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "paxfleet.image" -}}
{{- $image := .c.image -}}
{{- printf "%s/%s:%s" $image.repository (default .name $image.name) (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{- define "paxfleet.kafkaSecret" -}}
{{- tpl .root.Values.kafka.sasl.existingSecret (dict "component" .name "Template" .root.Template) -}}
{{- end -}}

{{- define "paxfleet.clientCertificateSecret" -}}
{{- tpl .root.Values.kafka.clientCertificate.existingSecret (dict "component" .name "Template" .root.Template) -}}
{{- end -}}

{{- define "paxfleet.securityProtocol" -}}
{{- $kafka := .Values.kafka -}}
{{- if and $kafka.sasl.enabled $kafka.tls.enabled -}}SASL_SSL
{{- else if $kafka.sasl.enabled -}}SASL_PLAINTEXT
{{- else if $kafka.tls.enabled -}}SSL
{{- else -}}PLAINTEXT
{{- end -}}
{{- end -}}

{{/* Whether a component serves the HTTP API beyond its probes (`api`): the coordinator, the dashboard. */}}
{{- define "paxfleet.servesApi" -}}
{{- if has .name (list "coordinator" "dashboard") }}true{{ end -}}
{{- end -}}

{{/* Whether `api` asks for a bearer token, for writes or reads; takes the root context. */}}
{{- define "paxfleet.apiAsksToken" -}}
{{- if or (eq .Values.api.auth "token") (eq .Values.api.readAuth "token") }}true{{ end -}}
{{- end -}}

{{/* The Secret holding API_TOKENS: api.tokenSecret.name, or the one the chart makes. */}}
{{- define "paxfleet.apiTokenSecret" -}}
{{- default (printf "%s-api-token" (include "paxfleet.fullname" .)) .Values.api.tokenSecret.name -}}
{{- end -}}
