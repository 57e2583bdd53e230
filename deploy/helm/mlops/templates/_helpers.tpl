{{/*
Chart name, truncated to the 63 characters DNS labels allow.
*/}}
{{- define "mlops.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified release name: the release name alone when it already contains the chart name.
*/}}
{{- define "mlops.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mlops.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object of the release.
*/}}
{{- define "mlops.labels" -}}
helm.sh/chart: {{ include "mlops.chart" . }}
{{ include "mlops.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mlops-platform
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "mlops.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mlops.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Per-service helpers take a dict: (dict "root" $ "name" "<service name>").
*/}}
{{- define "mlops.componentName" -}}
{{- printf "%s-%s" (include "mlops.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mlops.componentLabels" -}}
{{ include "mlops.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "mlops.componentSelectorLabels" -}}
{{ include "mlops.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "mlops.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mlops.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "mlops.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/*
Kafka bootstrap servers as the comma list MLOPS_KAFKA_BROKERS wants; values may give a string or a list.
*/}}
{{- define "mlops.kafkaBrokers" -}}
{{- if kindIs "slice" .Values.kafka.brokers }}
{{- join "," .Values.kafka.brokers }}
{{- else }}
{{- .Values.kafka.brokers }}
{{- end }}
{{- end }}

{{/*
MLOPS_POSTGRES_URL built from postgres.* (user and password URL-escaped).
*/}}
{{- define "mlops.postgresUrl" -}}
{{- $pg := .Values.postgres }}
{{- $url := printf "postgres://%s:%s@%s:%v/%s" (urlquery $pg.user) (urlquery $pg.password) $pg.host $pg.port $pg.database }}
{{- if $pg.sslmode }}
{{- $url = printf "%s?sslmode=%s" $url $pg.sslmode }}
{{- end }}
{{- $url }}
{{- end }}

{{/*
"true" when the chart writes its own Secret (some credential does not come from an existing Secret).
*/}}
{{- define "mlops.chartSecretEnabled" -}}
{{- if or (not .Values.postgres.existingSecret.name) (not .Values.s3.existingSecret.name) }}true{{ end }}
{{- end }}

{{- define "mlops.configMapName" -}}
{{- printf "%s-config" (include "mlops.fullname" .) }}
{{- end }}

{{- define "mlops.secretName" -}}
{{- printf "%s-credentials" (include "mlops.fullname" .) }}
{{- end }}

{{/*
A service's effective settings: serviceDefaults deep-merged with services.<name>. Call as
  {{- $svc := include "mlops.serviceValues" (dict "root" $ "values" $raw) | fromYaml }}
Only non-empty values override a default (mergo semantics), which is why every default that a service
may want lower is zero/false in serviceDefaults.
*/}}
{{- define "mlops.serviceValues" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy .values)) }}
{{- end }}
