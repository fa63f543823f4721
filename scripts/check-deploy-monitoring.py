#!/usr/bin/env python3
"""Checks the rendered monitoring overlay, whose kinds kubernetes-validate has no schema for.

Usage: check-deploy-monitoring.py MONITORING.yaml DEPLOY.yaml RULES_OUT.yaml

kubernetes-validate knows the built-in kinds only, and for any other kind it warns and passes,
so the Prometheus Operator's ServiceMonitor and PrometheusRule are checked here instead, for
what would make them silently useless: the overlay holds those two kinds only; each
ServiceMonitor selects a Service of DEPLOY.yaml (the rendering of deploy/) in its namespace and
names one of its ports; and every PrometheusRule's `spec` is written to RULES_OUT as a rule
file, for `promtool check rules` (Prometheus' strict parse of groups, rules and expressions,
which the operator's admission webhook also makes).
"""
import sys

import yaml

KINDS = {"ServiceMonitor", "PrometheusRule"}


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def selected_service(monitor, services):
    """The Service the ServiceMonitor scrapes, or None: same namespace, labels matching."""
    wanted = monitor["spec"]["selector"].get("matchLabels", {})
    namespace = monitor["metadata"]["namespace"]
    for service in services:
        labels = service["metadata"].get("labels", {})
        if service["metadata"]["namespace"] == namespace and all(labels.get(k) == v for k, v in wanted.items()):
            return service
    return None


def main(monitoring_path, deploy_path, rules_path):
    objects = load(monitoring_path)
    services = [d for d in load(deploy_path) if d["kind"] == "Service"]
    problems = [f"{monitoring_path}: {d['kind']} {d['metadata']['name']}: not a kind this check knows ({', '.join(sorted(KINDS))})"
                for d in objects if d["kind"] not in KINDS]
    for monitor in (d for d in objects if d["kind"] == "ServiceMonitor"):
        name = monitor["metadata"]["name"]
        service = selected_service(monitor, services)
        if service is None:
            problems.append(f"{monitoring_path}: ServiceMonitor {name} selects no Service of {deploy_path}")
            continue
        ports = {port.get("name") for port in service["spec"]["ports"]}
        for endpoint in monitor["spec"]["endpoints"]:
            if endpoint.get("port") not in ports:
                problems.append(f"{monitoring_path}: ServiceMonitor {name} scrapes port {endpoint.get('port')!r}; Service "
                                f"{service['metadata']['name']} has {sorted(ports)}")
    groups = [group for d in objects if d["kind"] == "PrometheusRule" for group in d["spec"]["groups"]]
    if not groups:
        problems.append(f"{monitoring_path}: no PrometheusRule with rule groups")
    with open(rules_path, "w") as f:
        yaml.safe_dump({"groups": groups}, f, sort_keys=False)
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    found = main(*sys.argv[1:])
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        sys.exit(1)
    print(f"{sys.argv[1]}: the ServiceMonitor scrapes a Service of {sys.argv[2]}; rules written to {sys.argv[3]}")
