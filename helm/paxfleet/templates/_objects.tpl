{{/* The objects of one component; each takes the component dict (see _helpers.tpl). */}}

{{- define "paxfleet.env" -}}
{{- $kafka := .root.Values.kafka -}}
{{- $model := .c.model -}}
- name: PORT
  value: "8080"
- name: HOST
  value: 0.0.0.0
- name: AGENT_ID
  value: {{ .name | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: KAFKA_BROKERS
  value: {{ $kafka.brokers | quote }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ include "paxfleet.securityProtocol" .root }}
{{- if $kafka.sasl.enabled }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "paxfleet.kafkaSecret" . }}
      key: {{ $kafka.sasl.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "paxfleet.kafkaSecret" . }}
      key: {{ $kafka.sasl.passwordKey }}
{{- end }}
{{- if $kafka.tls.enabled }}
- name: KAFKA_SSL_CA_LOCATION
  value: /etc/paxfleet/kafka-ca/{{ $kafka.tls.caSecret.key }}
{{- end }}
{{- if $kafka.clientCertificate.enabled }}
{{- if or (not $kafka.tls.enabled) $kafka.sasl.enabled }}
{{- fail "kafka.clientCertificate.enabled needs kafka.tls.enabled and kafka.sasl.enabled false (mTLS: the security protocol is SSL)" }}
{{- end }}
- name: KAFKA_SSL_CERT_LOCATION
  value: /etc/paxfleet/kafka-user/{{ $kafka.clientCertificate.certKey }}
- name: KAFKA_SSL_KEY_LOCATION
  value: /etc/paxfleet/kafka-user/{{ $kafka.clientCertificate.keyKey }}
{{- end }}
- name: OTEL_SERVICE_NAME
  value: {{ .name | quote }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .root.Values.otel.endpoint | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: http/json
- name: OTEL_RESOURCE_ATTRIBUTES
  value: service.namespace=paxfleet,service.instance.id=$(POD_NAME),k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE)
- name: MODEL_PROVIDER
  value: {{ $model.provider | quote }}
{{- if $model.baseUrl }}
- name: MODEL_BASE_URL
  value: {{ $model.baseUrl | quote }}
{{- end }}
{{- if $model.name }}
- name: MODEL_NAME
  value: {{ $model.name | quote }}
{{- end }}
{{- if $model.apiKeySecret.name }}
- name: MODEL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $model.apiKeySecret.name }}
      key: {{ $model.apiKeySecret.key }}
{{- end }}
{{- include "paxfleet.blobEnv" .root }}
{{- if include "paxfleet.servesApi" . }}
{{- include "paxfleet.apiEnv" .root }}
{{- end }}
{{- if eq .name "dashboard" }}
{{- include "paxfleet.dashboardEnv" .root }}
{{- end }}
{{- with .c.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- /* The same object-store settings for every agent: no agent relies on its own disk for bodies. */ -}}
{{- define "paxfleet.blobEnv" -}}
{{- $blobs := .Values.blobs }}
- name: BLOB_STORE
  value: {{ $blobs.store | quote }}
- name: BLOB_INLINE_MAX_BYTES
  value: {{ $blobs.inlineMaxBytes | quote }}
{{- if eq $blobs.store "s3" }}
{{- if not $blobs.s3.bucket }}{{ fail "blobs.s3.bucket is required when blobs.store is s3" }}{{ end }}
- name: BLOB_S3_BUCKET
  value: {{ $blobs.s3.bucket | quote }}
- name: BLOB_S3_REGION
  value: {{ $blobs.s3.region | quote }}
{{- with $blobs.s3.prefix }}
- name: BLOB_S3_PREFIX
  value: {{ . | quote }}
{{- end }}
{{- with $blobs.s3.endpoint }}
- name: BLOB_S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: BLOB_S3_FORCE_PATH_STYLE
  value: {{ $blobs.s3.forcePathStyle | quote }}
{{- with $blobs.s3.credentialsSecret }}
{{- if .name }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .name }}
      key: {{ .accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .name }}
      key: {{ .secretAccessKeyKey }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- /* Who may call the API (`api`): API_TOKENS from the Secret's keys, one straight from its
key, several joined by the kubelet from one variable per key ($(VAR) expansion). */ -}}
{{- define "paxfleet.apiEnv" -}}
{{- $api := .Values.api }}
- name: API_AUTH
  value: {{ $api.auth | quote }}
{{- with $api.readAuth }}
- name: API_READ_AUTH
  value: {{ . | quote }}
{{- end }}
- name: API_BODY_LIMIT_BYTES
  value: {{ $api.bodyLimitBytes | quote }}
{{- if include "paxfleet.apiAsksToken" . }}
{{- $secret := include "paxfleet.apiTokenSecret" . }}
{{- if eq (len $api.tokenSecret.keys) 1 }}
- name: API_TOKENS
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ first $api.tokenSecret.keys }}
{{- else }}
{{- $refs := list }}
{{- range $index, $key := $api.tokenSecret.keys }}
{{- $refs = append $refs (printf "$(PAXFLEET_API_TOKEN_%d)" $index) }}
- name: PAXFLEET_API_TOKEN_{{ $index }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
- name: API_TOKENS
  value: {{ join "," $refs | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- /* The dashboard's own settings: the Jaeger UI its workflow pages link to. */ -}}
{{- define "paxfleet.dashboardEnv" -}}
{{- $dashboard := .Values.dashboard }}
{{- with $dashboard.jaegerUrl }}
- name: DASHBOARD_JAEGER_URL
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{- /* An Ingress to the dashboard's Service (dashboard.ingress). */ -}}
{{- define "paxfleet.ingress" -}}
{{- $ingress := .root.Values.dashboard.ingress -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
  {{- with $ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if $ingress.tlsSecretName }}
  tls:
    - secretName: {{ $ingress.tlsSecretName }}
      {{- with $ingress.host }}
      hosts:
        - {{ . | quote }}
      {{- end }}
  {{- end }}
  rules:
    - http:
        paths:
          - path: {{ $ingress.path }}
            pathType: Prefix
            backend:
              service:
                name: {{ .fullname }}
                port:
                  name: http
      {{- with $ingress.host }}
      host: {{ . | quote }}
      {{- end }}
{{- end -}}

{{- define "paxfleet.probe" -}}
{{- $timing := index . 2 -}}
httpGet:
  path: {{ index . 1 }}
  port: http
{{- range $field := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "successThreshold" "failureThreshold" }}
{{- if hasKey $timing $field }}
{{ $field }}: {{ index $timing $field }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "paxfleet.deployment" -}}
{{- $c := .c -}}
{{- $kafka := .root.Values.kafka -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
spec:
  {{- if not $c.autoscaling.enabled }}
  replicas: {{ $c.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "paxfleet.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "paxfleet.labels" . | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $c.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ .fullname }}
      automountServiceAccountToken: false
      {{- /* No <SERVICE>_PORT variables: a Service named kafka would inject KAFKA_PORT, a look-alike of the services' own settings. */}}
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      {{- with $c.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $c.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .name }}
          image: {{ include "paxfleet.image" . | quote }}
          imagePullPolicy: {{ $c.image.pullPolicy }}
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            {{- include "paxfleet.env" . | nindent 12 }}
          startupProbe:
            {{- include "paxfleet.probe" (list . "/healthz" $c.probes.startup) | nindent 12 }}
          livenessProbe:
            {{- include "paxfleet.probe" (list . "/healthz" $c.probes.liveness) | nindent 12 }}
          readinessProbe:
            {{- include "paxfleet.probe" (list . "/readyz" $c.probes.readiness) | nindent 12 }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          securityContext:
            {{- toYaml $c.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $kafka.tls.enabled }}
            - name: kafka-ca
              mountPath: /etc/paxfleet/kafka-ca
              readOnly: true
            {{- end }}
            {{- if $kafka.clientCertificate.enabled }}
            - name: kafka-user
              mountPath: /etc/paxfleet/kafka-user
              readOnly: true
            {{- end }}
            {{- with $c.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- if $kafka.tls.enabled }}
        - name: kafka-ca
          secret:
            secretName: {{ $kafka.tls.caSecret.name }}
            items:
              - key: {{ $kafka.tls.caSecret.key }}
                path: {{ $kafka.tls.caSecret.key }}
        {{- end }}
        {{- if $kafka.clientCertificate.enabled }}
        - name: kafka-user
          secret:
            secretName: {{ include "paxfleet.clientCertificateSecret" $ }}
            items:
              - key: {{ $kafka.clientCertificate.certKey }}
                path: {{ $kafka.clientCertificate.certKey }}
              - key: {{ $kafka.clientCertificate.keyKey }}
                path: {{ $kafka.clientCertificate.keyKey }}
        {{- end }}
        {{- with $c.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if $c.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: {{ $c.topologySpread.maxSkew }}
          topologyKey: {{ $c.topologySpread.topologyKey }}
          whenUnsatisfiable: {{ $c.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "paxfleet.selectorLabels" . | nindent 14 }}
      {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "paxfleet.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
automountServiceAccountToken: false
{{- end -}}

{{- define "paxfleet.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
spec:
  type: {{ .c.service.type }}
  selector:
    {{- include "paxfleet.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .c.service.port }}
      targetPort: http
      protocol: TCP
      appProtocol: http
{{- end -}}

{{- define "paxfleet.podDisruptionBudget" -}}
{{- $pdb := .c.podDisruptionBudget -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
spec:
  {{- if hasKey $pdb "minAvailable" }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "paxfleet.selectorLabels" . | nindent 6 }}
{{- end -}}

{{- define "paxfleet.serviceMonitor" -}}
{{- $sm := .c.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "paxfleet.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
{{- end -}}

{{- define "paxfleet.scaledObject" -}}
{{- $as := .c.autoscaling -}}
{{- $kafka := .root.Values.kafka -}}
{{- if not $as.consumerGroup }}{{ fail (printf "components.%s.autoscaling.consumerGroup is required when autoscaling is enabled" .name) }}{{ end -}}
{{- if not $as.topics }}{{ fail (printf "components.%s.autoscaling.topics is required when autoscaling is enabled" .name) }}{{ end -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    name: {{ .fullname }}
  minReplicaCount: {{ $as.minReplicas }}
  maxReplicaCount: {{ $as.maxReplicas }}
  pollingInterval: {{ $as.pollingInterval }}
  cooldownPeriod: {{ $as.cooldownPeriod }}
  triggers:
    {{- range $topic := $as.topics }}
    - type: kafka
      metadata:
        bootstrapServers: {{ $kafka.brokers | quote }}
        consumerGroup: {{ $as.consumerGroup | quote }}
        topic: {{ $topic | quote }}
        lagThreshold: {{ $as.lagThreshold | quote }}
        activationLagThreshold: {{ $as.activationLagThreshold | quote }}
        offsetResetPolicy: earliest
        {{- if $kafka.sasl.enabled }}
        sasl: {{ get (dict "PLAIN" "plaintext" "SCRAM-SHA-256" "scram_sha256" "SCRAM-SHA-512" "scram_sha512") $kafka.sasl.mechanism | quote }}
        {{- end }}
        tls: {{ ternary "enable" "disable" $kafka.tls.enabled | quote }}
      {{- if or $kafka.sasl.enabled $kafka.tls.enabled }}
      authenticationRef:
        name: {{ $.fullname }}
      {{- end }}
    {{- end }}
{{- end -}}

{{- define "paxfleet.triggerAuthentication" -}}
{{- $kafka := .root.Values.kafka -}}
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
spec:
  secretTargetRef:
    {{- if $kafka.sasl.enabled }}
    - parameter: username
      name: {{ include "paxfleet.kafkaSecret" . }}
      key: {{ $kafka.sasl.usernameKey }}
    - parameter: password
      name: {{ include "paxfleet.kafkaSecret" . }}
      key: {{ $kafka.sasl.passwordKey }}
    {{- end }}
    {{- if $kafka.tls.enabled }}
    - parameter: ca
      name: {{ $kafka.tls.caSecret.name }}
      key: {{ $kafka.tls.caSecret.key }}
    {{- end }}
    {{- if $kafka.clientCertificate.enabled }}
    - parameter: cert
      name: {{ include "paxfleet.clientCertificateSecret" . }}
      key: {{ $kafka.clientCertificate.certKey }}
    - parameter: key
      name: {{ include "paxfleet.clientCertificateSecret" . }}
      key: {{ $kafka.clientCertificate.keyKey }}
    {{- end }}
{{- end -}}

{{- define "paxfleet.networkPolicy" -}}
{{- $np := .c.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "paxfleet.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "paxfleet.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        {{- if include "paxfleet.servesApi" . }}
        {{- /* The API: the release's own pods and the peers api.ingressFrom names, only. */}}
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ include "paxfleet.name" .root }}
              app.kubernetes.io/instance: {{ .root.Release.Name }}
        {{- with .root.Values.api.ingressFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- else }}
        {{- toYaml $np.ingressFrom | nindent 8 }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
  egress:
    - to:
        {{- toYaml $np.dnsPeers | nindent 8 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - to:
        {{- toYaml $np.kafkaPeers | nindent 8 }}
      ports:
        {{- range $np.kafkaPorts }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    - to:
        {{- toYaml $np.otlpPeers | nindent 8 }}
      ports:
        {{- range $np.otlpPorts }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
