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
A service's Postgres role: mlops_<service> with '-' as '_' (deploy/docker/provision/postgres-roles.sh makes it).
*/}}
{{- define "mlops.postgresRole" -}}
{{- printf "mlops_%s" (.name | replace "-" "_") }}
{{- end }}

{{/*
MLOPS_POSTGRES_URL of a service: (dict "root" $ "name" <service> "password" <plain text>), URL-escaped.
*/}}
{{- define "mlops.postgresUrl" -}}
{{- $pg := .root.Values.postgres }}
{{- $url := printf "postgres://%s:%s@%s:%v/%s" (include "mlops.postgresRole" .) (urlquery .password) $pg.host $pg.port $pg.database }}
{{- if $pg.sslmode }}
{{- $url = printf "%s?sslmode=%s" $url $pg.sslmode }}
{{- end }}
{{- $url }}
{{- end }}

{{/*
The Secret with a service's credentials: (dict "root" $ "name" <service> "svc" <its effective values>).
*/}}
{{- define "mlops.credentialsSecretName" -}}
{{- .svc.credentialsSecret | default (printf "%s-credentials" (include "mlops.componentName" .)) }}
{{- end }}

{{- define "mlops.configMapName" -}}
{{- printf "%s-config" (include "mlops.fullname" .) }}
{{- end }}

{{- define "mlops.provisioningName" -}}
{{- printf "%s-provisioning" (include "mlops.fullname" .) }}
{{- end }}

{{/*
The enabled services, space-separated, in a stable order (the provisioning scripts' MLOPS_SERVICES).
*/}}
{{- define "mlops.enabledServices" -}}
{{- $names := list }}
{{- range $name, $raw := .Values.services }}
{{- if $raw.enabled }}{{ $names = append $names $name }}{{ end }}
{{- end }}
{{- join " " $names }}
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

{{/*
What every container of the provisioning Job shares: the scripts, the credentials as files, a writable /tmp and the
policies provision.ts writes for minio-users, under the chart's container security settings.
*/}}
{{- define "mlops.provisioningContainer" -}}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
resources:
  {{- toYaml .Values.provisioning.resources | nindent 2 }}
volumeMounts:
  - name: scripts
    mountPath: /opt/mlops/provision
    readOnly: true
  - name: secrets
    mountPath: /run/secrets
    readOnly: true
  - name: policies
    mountPath: /var/lib/mlops-policies
  - name: tmp
    mountPath: /tmp
{{- end }}
