#!/usr/bin/env bash
# `make lint-deploy`: renders deploy/ and its overlays with `kubectl kustomize`, then checks each
# rendering: the hooks the pod gets are its hooks folder, every object validates against the
# Kubernetes schemas (kubernetes-validate, strict), and checkov's default Kubernetes checks pass
# (waivers are annotations in the manifests, each with its reason). The monitoring overlay's
# Prometheus Operator kinds have no Kubernetes schema: they are checked by
# scripts/check-deploy-monitoring.py and their rules by promtool. Last, promtool checks the
# alert rules and runs their unit tests. The Python tools go in a virtualenv under .build-lint/
# (git-ignored); promtool comes from Debian's prometheus package (make lint-deploy).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-lint
venv=$out/venv
# The versions these manifests were last checked with.
TOOLS="checkov==${CHECKOV_VERSION:-3.3.30} kubernetes-validate==${KUBERNETES_VALIDATE_VERSION:-1.37.0}"

command -v kubectl >/dev/null || {
  echo "lint-deploy: kubectl is needed to render the kustomizations (kubectl kustomize); install it, then rerun" >&2
  exit 1
}
mkdir -p "$out"
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
# shellcheck disable=SC2086
"$venv/bin/pip" install -q --disable-pip-version-check $TOOLS

render() {
  local rendered
  rendered=$out/$(echo "$1" | tr / -).yaml
  echo "== $1 -> $rendered" >&2
  kubectl kustomize "$1" > "$rendered"
  echo "$rendered"
}

for kustomization in deploy deploy/overlays/all-namespaces; do
  rendered=$(render "$kustomization")
  "$venv/bin/python" scripts/check-deploy-hooks.py "$rendered" "$kustomization/hooks"
  # kubernetes-validate only warns about a kind it has no schema for, and exits 0: any output
  # under --quiet (a warning or a failure) fails the check.
  if ! problems=$("$venv/bin/kubernetes-validate" --strict --quiet "$rendered" 2>&1) || [ -n "$problems" ]; then
    echo "$problems" >&2
    exit 1
  fi
  # --skip-download and BC_SKIP_MAPPING: checkov runs offline, with its built-in checks only.
  BC_SKIP_MAPPING=TRUE "$venv/bin/checkov" --skip-download --quiet --compact --framework kubernetes -f "$rendered"
done

# The monitoring overlay: a ServiceMonitor and a PrometheusRule, kinds that neither
# kubernetes-validate nor checkov has checks for.
rendered=$(render deploy/overlays/monitoring)
diff -u deploy/overlays/monitoring/prometheusrule.yaml <(scripts/prometheus-rule.sh) || {
  echo "lint-deploy: deploy/overlays/monitoring/prometheusrule.yaml is not deploy/alerts.yaml's rules; regenerate it:" >&2
  echo "  scripts/prometheus-rule.sh > deploy/overlays/monitoring/prometheusrule.yaml" >&2
  exit 1
}
"$venv/bin/python" scripts/check-deploy-monitoring.py "$rendered" "$out/deploy.yaml" "$out/monitoring-rules.yaml"
promtool check rules "$out/monitoring-rules.yaml"

echo "== deploy/alerts.yaml"
promtool check rules deploy/alerts.yaml
promtool test rules deploy/alerts-test.yaml
echo "lint-deploy: passed"
