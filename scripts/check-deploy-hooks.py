#!/usr/bin/env python3
"""Checks that a rendered kubelua kustomization carries its hooks folder whole.

Usage: check-deploy-hooks.py RENDERED.yaml HOOKS_DIR

The hooks ConfigMap's keys, the Deployment's `items` for its volume and the files under
HOOKS_DIR must name the same hooks: key = path with "/" written as ".", item path = path.
A hook added to the folder but not to kustomization.yaml or deployment.yaml (or the reverse)
would otherwise be missing in the cluster without any error.
"""
import os
import sys

import yaml


def main(rendered_path, hooks_dir):
    with open(rendered_path) as f:
        documents = [d for d in yaml.safe_load_all(f) if d]
    configmaps = [d for d in documents if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("kubelua-hooks")]
    deployments = [d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == "kubelua"]
    if len(configmaps) != 1 or len(deployments) != 1:
        return [f"{rendered_path}: expected one kubelua-hooks ConfigMap and one kubelua Deployment"]
    configmap, deployment = configmaps[0], deployments[0]
    volumes = [v for v in deployment["spec"]["template"]["spec"]["volumes"]
               if v.get("configMap", {}).get("name") == configmap["metadata"]["name"]]
    if len(volumes) != 1:
        return [f"{rendered_path}: the Deployment mounts no volume of ConfigMap {configmap['metadata']['name']}"]
    items = {item["key"]: item["path"] for item in volumes[0]["configMap"].get("items", [])}
    files = sorted(os.path.relpath(os.path.join(folder, name), hooks_dir)
                   for folder, _, names in os.walk(hooks_dir) for name in names)
    problems = []
    keys = set(configmap.get("data", {}))
    for path in files:
        key = path.replace("/", ".")
        if key not in keys:
            problems.append(f"{hooks_dir}/{path}: not in the ConfigMap (add `{key}={os.path.basename(hooks_dir)}/{path}` to configMapGenerator files)")
        if items.get(key) != path:
            problems.append(f"{hooks_dir}/{path}: no volume item `key: {key}, path: {path}` in the Deployment")
    for key in sorted(keys | set(items)):
        path = items.get(key, key)
        if path not in files:
            problems.append(f"{rendered_path}: ConfigMap key or volume item {key} has no file {hooks_dir}/{path}")
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    found = main(sys.argv[1], sys.argv[2])
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        sys.exit(1)
    print(f"{sys.argv[1]}: the hooks ConfigMap, the volume items and {sys.argv[2]} agree")
