#!/usr/bin/env bash
# Measures the shared placed programs on another CPU + GPU node with
# diviml-measure, for `bench/fidelity.py --node DIR` (docs/fidelity-h100.md).
#
#   bench/measure_node.sh plans DIR          # here: export the placements' plans
#   bench/measure_node.sh measure DIR        # on the node (PyTorch with CUDA; no
#                                            # MLIR needed): runs and profiles
#   bench/measure_node.sh collect DIR        # runs.json from the run outputs
#
# DIR holds plans/ (phase 1) and the outputs (phase 2). Set SHARED to the
# shared measurements (default ../shared/measurements/h200-node).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
phase="$1"
dir="$2"
shared="${SHARED:-$root/../shared/measurements/h200-node}"
case "$phase" in
plans)
  mkdir -p "$dir/plans"
  for f in "$shared"/placements/*.gen.mlir; do
    "$root/build/bin/diviml-translate" --export-plan "$f" \
      -o "$dir/plans/$(basename "$f" .gen.mlir).plan.json"
  done ;;
measure)
  export PYTHONPATH="$root/tools/diviml-measure"
  measure() { python3 -m diviml_measure "$@"; }
  for p in "$dir"/plans/*.plan.json; do
    n=$(basename "$p" .plan.json)
    # As the shared runs: 16 CPU threads, one host thread issuing every op.
    measure run "$p" --map gpu=cuda:0 --map cpu=cpu --threads 16 --reps 10 --json \
      > "$dir/run-$n.json"
  done
  for n in bert-base-b1-cpu bert-base-b1-random30 bert-base-b1-random10 googlenet-b1-cpu; do
    measure run "$dir/plans/$n.plan.json" --map gpu=cuda:0 --map cpu=cpu --threads 16 \
      --reps 10 --flush-denormal --json > "$dir/runftz-$n.json"
  done
  for m in inception_block googlenet-b1 resnet50-b8 bert-base-b1; do
    measure run "$dir/plans/$m-fastest-single.plan.json" --map gpu=cuda:0 --threads 16 --reps 20 \
      --runtime graph --json > "$dir/rtgraph-$m.json"
  done
  for m in inception_block googlenet-b1 resnet50-b8 bert-base-b1; do
    for v in random program; do
      measure profile "$dir/plans/$m-fastest-single.plan.json" --values "$v" \
        -o "$dir/prof-$v-$m.json" --devices cpu,cuda:0 --threads 16 --budget 0.02 --progress off
      measure profile "$dir/plans/$m-fastest-single.plan.json" --values "$v" --runtime graph \
        -o "$dir/profgraph-$v-$m.json" --devices cuda:0 --budget 0.02 --progress off
    done
  done ;;
collect)
  python3 - "$dir" <<'PY'
import glob, json, os, sys
d = sys.argv[1]
placements = ["fastest-single", "cpu", "greedy", "heft", "random10", "random30", "split"]
runs = []
for f in sorted(glob.glob(os.path.join(d, "run-*.json"))) + sorted(glob.glob(os.path.join(d, "runftz-*.json"))) \
        + sorted(glob.glob(os.path.join(d, "rtgraph-*.json"))):
    r = json.load(open(f))
    name = os.path.basename(r["module"]).replace(".plan.json", "")
    placement = next(p for p in placements if name.endswith("-" + p))
    runs.append(dict(run="H100", model=name[:-len(placement) - 1], placement=placement,
                     module=f"placements/{name}.gen.mlir", runtime=r["runtime"],
                     flush_denormal=r["flush_denormal"],
                     measured_median_s=r["measured_median_s"], measured_min_s=r["measured_min_s"],
                     reps=r["reps"], cpu_threads=r["cpu_threads"],
                     max_rel_diff_vs_cpu=r["max_rel_diff_vs_cpu"]))
# The node's one GPU is gpu0 in diviml-measure's naming, gpu in h200-node's.
for f in glob.glob(os.path.join(d, "prof-*.json")) + glob.glob(os.path.join(d, "profgraph-*.json")):
    t = json.load(open(f))
    for e in t["entries"]:
        e["times"] = {("gpu" if k == "gpu0" else k): v for k, v in e["times"].items()}
    json.dump(t, open(f, "w"), indent=1)
json.dump(runs, open(os.path.join(d, "runs.json"), "w"), indent=1)
PY
  ;;
*) echo "usage: $0 plans|measure|collect DIR" >&2; exit 2 ;;
esac
