#!/bin/sh
# Writes docs/bound-bench.md: the lower bounds against the best values our
# algorithms find (issue 18). The Tarnawski workloads, the proven optima of
# small RandWire graphs and the RandWire bounds come from
# `diviml-split-bench --section bounds`; the bundled example
# (examples/inception_block.mlir on gpu-accel, the demo's model) from
# diviml-opt's reports, one per algorithm.
# Usage: bench/bound_bench.sh [BUILD_DIR]   (a full build: diviml-opt too)
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
for tool in diviml-split-bench diviml-opt; do
  if [ ! -x "$build/bin/$tool" ]; then
    echo "build $build/bin/$tool first: ninja -C $build $tool" >&2
    exit 1
  fi
done
out=$here/docs/bound-bench.md
work=$(mktemp -d)
start=$(date +%s)
for objective in latency throughput; do
  for algorithm in fastest-single greedy heft split milp; do
    options="platform=gpu-accel objective=$objective algorithm=$algorithm"
    [ "$algorithm" = split ] && options="$options refine=true"
    [ "$algorithm" = milp ] && options="$options time-limit=60"
    "$build/bin/diviml-opt" "$here/examples/inception_block.mlir" \
      --diviml-partition="$options report=$work/$objective-$algorithm.json" \
      -o /dev/null
  done
done
{
  echo "# Lower bounds: measured tables"
  echo
  echo "Written by \`bench/bound_bench.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores shared with"
  echo "other builds, so the seconds are noisy; the bounds themselves count work and do not"
  echo "depend on the load). Command: \`diviml-split-bench --section bounds --msr-dir"
  echo "../shared/workloads/msr\`, then \`diviml-opt examples/inception_block.mlir"
  echo "--diviml-partition=\"platform=gpu-accel objective=O algorithm=A report=...\"\` for the"
  echo "example. Derivations: [objectives.md](objectives.md#lower-bounds)."
  echo
  "$build/bin/diviml-split-bench" --section bounds \
    --msr-dir "$here/../shared/workloads/msr"
  python3 - "$work" "$out.tmp" <<'PY'
import json, math, sys
work, table = sys.argv[1], sys.argv[2]
# bound / best of the Tarnawski latency rows written above.
latency = [float(line.split("|")[8]) for line in open(table)
           if line.startswith("| latency/")]
print("### The bundled example (examples/inception_block.mlir, gpu-accel)\n")
print("One report per algorithm; *bound* is the core bound of the report of "
      "`greedy` (no solver bound mixed in), *MILP* the full MILP's status "
      "(60 s cap).\n")
print("| objective | ops | best | by | bound | bound / best | source | MILP | bound / optimum | s |")
print("|---|---|---|---|---|---|---|---|---|---|")
for objective in ("latency", "throughput"):
    reports = {}
    for algorithm in ("fastest-single", "greedy", "heft", "split", "milp"):
        with open(f"{work}/{objective}-{algorithm}.json") as f:
            reports[algorithm] = json.load(f)
    by = min(reports, key=lambda a: reports[a]["value"])
    best = reports[by]["value"]
    core = reports["greedy"]["functions"][0]
    milp = reports["milp"]
    optimum = (f"{core['lower_bound'] / milp['value']:.4f}"
               if milp["status"] == "optimal" else "-")
    print(f"| {objective} | {core['ops']} | {best:.5g} | {by} | "
          f"{core['lower_bound']:.5g} | {core['lower_bound'] / best:.4f} | "
          f"{core['lower_bound_source']} | {milp['status']} | {optimum} | "
          f"{core['lower_bound_seconds']:.3f} |")
    if objective == "latency":
        latency.append(core["lower_bound"] / best)
print()
print(f"Latency, the {len(latency) - 1} Tarnawski latency workloads and the "
      f"example: geometric mean of bound / best "
      f"{math.exp(sum(map(math.log, latency)) / len(latency)):.4f}, worst "
      f"{min(latency):.4f}.\n")
PY
} > "$out.tmp"
rm -r "$work"
echo "Total bench wall time: $(( $(date +%s) - start )) s." >> "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
