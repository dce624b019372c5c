{{- define "ripcord-worker.labels" -}}
app.kubernetes.io/name: ripcord-worker
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "ripcord-worker.selector" -}}
app.kubernetes.io/name: ripcord-worker
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
