#!/usr/bin/env bash
# Alternated A/B runs of kubelua-bench's throughput part (BENCHMARKS.md, "A/B runs").
#
#   scripts/bench-ab.sh ROUNDS LABEL=WORKTREE [LABEL=WORKTREE ...]
#
# Each WORKTREE holds a release build (`swift build -c release --product kubelua-bench`). Every
# round runs each build once, the order rotated from round to round; the first label is the
# reference the others are compared with, round by round. Prints one line per run (round,
# label, events per CPU-second, kubelua's CPU, the server child's CPU, others' CPU) and then,
# per label, the medians and means, the per-round ratios against the reference, and kubelua's
# CPU over the server child's (the same work in every run, so a figure the VM's speed moves less).
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 ROUNDS LABEL=WORKTREE LABEL=WORKTREE [...]" >&2
    exit 2
fi
rounds=$1
shift
specs=("$@")
count=${#specs[@]}
for spec in "${specs[@]}"; do
    dir=${spec#*=}
    if [ ! -x "$dir/.build/release/kubelua-bench" ]; then
        echo "$0: no release build in $dir (swift build -c release --product kubelua-bench)" >&2
        exit 2
    fi
done

results=$(mktemp)
output=$(mktemp)
trap 'rm -f "$results" "$output"' EXIT
for round in $(seq 1 "$rounds"); do
    for k in $(seq 0 $((count - 1))); do
        spec=${specs[$(((k + round) % count))]}
        label=${spec%%=*}
        dir=${spec#*=}
        # Every part but throughput; a build that does not know a part is told of those it knows.
        parts=$(cd "$dir" && ./.build/release/kubelua-bench --help | tr -d '\n' | sed -n 's/.*(values: \([a-z, ]*\)).*/\1/p' | tr -d ' ' | tr ',' ' ')
        skips=()
        for part in $parts; do
            if [ "$part" != throughput ]; then skips+=(--skip "$part"); fi
        done
        (cd "$dir" && ./.build/release/kubelua-bench "${skips[@]}" --output "$output" >/dev/null)
        python3 - "$round" "$label" "$output" >>"$results" <<'PY'
import json, sys
round_, label, path = sys.argv[1:4]
t = json.load(open(path))["throughput"]
print(f"{round_}\t{label}\t{t['events_per_cpu_second']:.0f}\t{t['cpu_seconds']:.3f}\t{t['server_cpu_seconds']:.3f}\t{t['other_processes_cpu_seconds']:.3f}")
PY
        tail -n 1 "$results"
    done
done

python3 - "$results" "${specs[0]%%=*}" <<'PY'
import collections, statistics, sys
path, reference = sys.argv[1:3]
runs = collections.defaultdict(dict)
for line in open(path):
    round_, label, eps, cpu, server, _ = line.split("\t")
    runs[label][int(round_)] = (float(eps), float(cpu), float(server))
for label, by_round in runs.items():
    eps = [v[0] for v in by_round.values()]
    per_server = statistics.median(v[1] / v[2] for v in by_round.values())
    line = f"{label}: events per CPU-second median {statistics.median(eps):,.0f}, mean {statistics.mean(eps):,.0f}; CPU over the server's, median {per_server:.3f}"
    if label != reference:
        ratios = [by_round[r][0] / runs[reference][r][0] for r in by_round if r in runs[reference]]
        line += f"; against {reference}, round by round: median {statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f}"
    print(line)
PY
