#!/usr/bin/env bash
# Alternated A/B runs of one part of kubelua-bench (BENCHMARKS.md, "A/B runs").
#
#   [PART=throughput|memory] scripts/bench-ab.sh ROUNDS LABEL=WORKTREE [LABEL=WORKTREE ...]
#
# Each WORKTREE holds a release build (`swift build -c release --product kubelua-bench`). Every
# round runs each build once with every other part skipped, the order rotated from round to
# round; the first label is the reference the others are compared with, round by round.
# PART=throughput (the default) prints one line per run (round, label, events per CPU-second,
# kubelua's CPU, the server child's CPU, others' CPU) and then, per label, the medians and
# means, the per-round ratios against the reference, and kubelua's CPU over the server child's
# (the same work in every run, so a figure the VM's speed moves less). PART=memory prints the
# peak RSS of the memory part's first run (the goal's: managed fields kept) in MB, then the
# same medians, means and per-round ratios.
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: [PART=throughput|memory] $0 ROUNDS LABEL=WORKTREE LABEL=WORKTREE [...]" >&2
    exit 2
fi
measured=${PART:-throughput}
case "$measured" in
    throughput | memory) ;;
    *)
        echo "$0: PART must be throughput or memory (got $measured)" >&2
        exit 2
        ;;
esac
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
        # Every other part; a build that does not know a part is told of those it knows.
        parts=$(cd "$dir" && ./.build/release/kubelua-bench --help | tr -d '\n' | sed -n 's/.*(values: \([a-z, ]*\)).*/\1/p' | tr -d ' ' | tr ',' ' ')
        skips=()
        for part in $parts; do
            if [ "$part" != "$measured" ]; then skips+=(--skip "$part"); fi
        done
        (cd "$dir" && ./.build/release/kubelua-bench "${skips[@]}" --output "$output" >/dev/null)
        python3 - "$measured" "$round" "$label" "$output" >>"$results" <<'PY'
import json, sys
part, round_, label, path = sys.argv[1:5]
figures = json.load(open(path))[part]
if part == "throughput":
    t = figures
    print(f"{round_}\t{label}\t{t['events_per_cpu_second']:.0f}\t{t['cpu_seconds']:.3f}\t{t['server_cpu_seconds']:.3f}\t{t['other_processes_cpu_seconds']:.3f}")
else:
    first = figures[0] if isinstance(figures, list) else figures
    print(f"{round_}\t{label}\t{first['peak_rss_bytes'] / 1e6:.1f}")
PY
        tail -n 1 "$results"
    done
done

python3 - "$measured" "$results" "${specs[0]%%=*}" <<'PY'
import collections, statistics, sys
part, path, reference = sys.argv[1:4]
runs = collections.defaultdict(dict)
for line in open(path):
    fields = line.rstrip("\n").split("\t")
    runs[fields[1]][int(fields[0])] = [float(f) for f in fields[2:]]
name, unit = ("events per CPU-second", ",.0f") if part == "throughput" else ("peak RSS (MB)", ",.1f")
for label, by_round in runs.items():
    values = [v[0] for v in by_round.values()]
    line = f"{label}: {name} median {statistics.median(values):{unit}}, mean {statistics.mean(values):{unit}}"
    if part == "throughput":
        line += f"; CPU over the server's, median {statistics.median(v[1] / v[2] for v in by_round.values()):.3f}"
    if label != reference:
        ratios = [by_round[r][0] / runs[reference][r][0] for r in by_round if r in runs[reference]]
        line += f"; against {reference}, round by round: median {statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f}"
    print(line)
PY
