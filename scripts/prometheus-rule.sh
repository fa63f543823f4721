#!/bin/sh
# Prints deploy/alerts.yaml as a Prometheus Operator PrometheusRule: its rule groups, comments
# kept, under `spec`. deploy/overlays/monitoring/prometheusrule.yaml is this output;
# `make lint-deploy` fails when it is not, so the alerts are written once, in deploy/alerts.yaml.
#   scripts/prometheus-rule.sh > deploy/overlays/monitoring/prometheusrule.yaml
set -eu
cd "$(dirname "$0")/.."
cat <<'HEADER'
# Generated from deploy/alerts.yaml by scripts/prometheus-rule.sh: edit the alerts there.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: kubelua
  namespace: kubelua
  labels:
    app.kubernetes.io/name: kubelua
spec:
HEADER
# The file's opening comment is about using it as a rule file; the rest goes in indented.
sed -e '1,/^groups:/{/^#/d}' -e 's/^./  &/' deploy/alerts.yaml
