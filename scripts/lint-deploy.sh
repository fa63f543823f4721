#!/usr/bin/env bash
# `make lint-deploy`: renders deploy/ and its overlay with `kubectl kustomize`, then checks each
# rendering: the hooks ConfigMap matches its folder, every object validates against the
# Kubernetes schemas (kubernetes-validate, strict), and checkov's default Kubernetes checks pass
# (waivers are annotations in the manifests, each with its reason); then checks the alert rules
# and runs their unit tests with promtool. The Python tools go in a virtualenv under
# .build-lint/ (git-ignored); promtool comes from Debian's prometheus package (make lint-deploy).
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

for kustomization in deploy deploy/overlays/all-namespaces; do
  rendered=$out/$(echo "$kustomization" | tr / -).yaml
  echo "== $kustomization -> $rendered"
  kubectl kustomize "$kustomization" > "$rendered"
  "$venv/bin/python" scripts/check-deploy-hooks.py "$rendered" "$kustomization/hooks"
  "$venv/bin/kubernetes-validate" --strict --quiet "$rendered"
  # --skip-download and BC_SKIP_MAPPING: checkov runs offline, with its built-in checks only.
  BC_SKIP_MAPPING=TRUE "$venv/bin/checkov" --skip-download --quiet --compact --framework kubernetes -f "$rendered"
done
echo "== deploy/alerts.yaml"
promtool check rules deploy/alerts.yaml
promtool test rules deploy/alerts-test.yaml
echo "lint-deploy: passed"
