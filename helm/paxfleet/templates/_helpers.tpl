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
Component objects are rendered with a dict:
  .root      the chart's root context
  .name      the component (agent) name
  .fullname  <fullname>-<name>, the name of its objects
  .c         `default` deep-merged with components.<name>
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

{{- define "paxfleet.securityProtocol" -}}
{{- $kafka := .Values.kafka -}}
{{- if and $kafka.sasl.enabled $kafka.tls.enabled -}}SASL_SSL
{{- else if $kafka.sasl.enabled -}}SASL_PLAINTEXT
{{- else if $kafka.tls.enabled -}}SSL
{{- else -}}PLAINTEXT
{{- end -}}
{{- end -}}
