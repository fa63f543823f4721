#!/usr/bin/env python3
"""Checks that a rendered kubelua kustomization puts its hooks folder in the pod whole.

Usage: check-deploy-hooks.py RENDERED.yaml HOOKS_DIR

The Deployment's init container `hooks-layout` copies the hooks ConfigMap's keys into the
folder kubelua reads. This writes the rendered ConfigMap out as the kubelet would mount it,
runs that container's own script on it, and compares what it lays out with HOOKS_DIR, file by
file and byte by byte: a hook without its configMapGenerator line would otherwise be missing in
the cluster without any error. The message names the line to add.
"""
import os
import subprocess
import sys
import tempfile

import yaml

LAYOUT_CONTAINER = "hooks-layout"
# Keys the deployed folders do not exercise, and where they must land: a file name with a dot
# stays whole in a namespace folder; in _lib every dot but the last is a folder, as in
# require("alerts.slack").
LAYOUT_CASES = {
    "default.failed.pods.lua": "default/failed.pods.lua",
    "_all.crash-loops.lua": "_all/crash-loops.lua",
    "_lib.alerts.slack.lua": "_lib/alerts/slack.lua",
}


def files_under(root):
    """Every file below root, as {path relative to root: bytes}."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, root)] = f.read()
    return found


def lay_out(container, configmap_data, mounts):
    """Runs the layout container's script on configmap_data; returns the files it wrote.

    mounts maps the container's mount paths to the volumes they hold: the script's arguments
    name its ConfigMap mount and its output folder, which become temporary folders here. The
    ConfigMap folder is laid out as the kubelet mounts one: each key a symlink into `..data`.
    """
    command = container["command"] + container.get("args", [])
    with tempfile.TemporaryDirectory() as scratch:
        paths = {mount: os.path.join(scratch, volume) for mount, volume in mounts.items()}
        for path in paths.values():
            os.makedirs(path)
        for volume_path, volume in mounts.items():
            if volume == "configmap":
                data = os.path.join(paths[volume_path], "..data")
                os.makedirs(data)
                for key, text in configmap_data.items():
                    with open(os.path.join(data, key), "w") as f:
                        f.write(text)
                    os.symlink(os.path.join("..data", key), os.path.join(paths[volume_path], key))
        subprocess.run([paths.get(word, word) for word in command], check=True)
        output = [path for mount, path in paths.items() if mounts[mount] == "output"]
        return files_under(output[0])


def main(rendered_path, hooks_dir):
    with open(rendered_path) as f:
        documents = [d for d in yaml.safe_load_all(f) if d]
    configmaps = [d for d in documents if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("kubelua-hooks")]
    deployments = [d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == "kubelua"]
    if len(configmaps) != 1 or len(deployments) != 1:
        return [f"{rendered_path}: expected one kubelua-hooks ConfigMap and one kubelua Deployment"]
    configmap, pod = configmaps[0], deployments[0]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    layout = [c for c in pod.get("initContainers", []) if c["name"] == LAYOUT_CONTAINER]
    if len(layout) != 1:
        return [f"{rendered_path}: the Deployment has no init container {LAYOUT_CONTAINER}"]
    mounts = {}
    for mount in layout[0]["volumeMounts"]:
        volume = volumes[mount["name"]]
        if volume.get("configMap", {}).get("name") == configmap["metadata"]["name"]:
            mounts[mount["mountPath"]] = "configmap"
        elif "emptyDir" in volume and not mount.get("readOnly"):
            mounts[mount["mountPath"]] = "output"
    if sorted(mounts.values()) != ["configmap", "output"]:
        return [f"{rendered_path}: {LAYOUT_CONTAINER} must mount ConfigMap {configmap['metadata']['name']} and a writable emptyDir"]
    output_volume = next(m["name"] for m in layout[0]["volumeMounts"] if mounts.get(m["mountPath"]) == "output")
    kubelua = next(c for c in pod["containers"] if c["name"] == "kubelua")
    hooks_mount = [m["mountPath"] for m in kubelua["volumeMounts"] if m["name"] == output_volume]
    if [f"--hooks={path}" for path in hooks_mount] != [a for a in kubelua["args"] if a.startswith("--hooks=")]:
        return [f"{rendered_path}: kubelua's --hooks is not where {LAYOUT_CONTAINER} lays the hooks out ({hooks_mount})"]

    cases = lay_out(layout[0], {key: key for key in LAYOUT_CASES}, mounts)
    expected = {path: key.encode() for key, path in LAYOUT_CASES.items()}
    if cases != expected:
        return [f"{rendered_path}: {LAYOUT_CONTAINER} laid out {sorted(cases)}, not {sorted(expected)}"]
    laid_out = lay_out(layout[0], configmap.get("data", {}), mounts)
    wanted = files_under(hooks_dir)
    kustomization = os.path.join(os.path.dirname(hooks_dir), "kustomization.yaml")
    folder = os.path.basename(hooks_dir)
    problems = []
    for path in sorted(wanted):
        if path not in laid_out:
            line = f"- {path.replace('/', '.')}={folder}/{path}"
            problems.append(f"{hooks_dir}/{path}: not deployed; add `{line}` to configMapGenerator files in {kustomization}")
        elif laid_out[path] != wanted[path]:
            problems.append(f"{hooks_dir}/{path}: the pod would get other content (its configMapGenerator line names another file?)")
    for path in sorted(set(laid_out) - set(wanted)):
        problems.append(f"{rendered_path}: the pod would get {path}, which {hooks_dir} does not hold")
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    found = main(sys.argv[1], sys.argv[2])
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        sys.exit(1)
    print(f"{sys.argv[1]}: the pod's hooks, laid out from the ConfigMap, are {sys.argv[2]}")
