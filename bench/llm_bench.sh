#!/bin/sh
# Generates the 7B/13B/70B-class models (prefill and decode) with
# diviml-modelgen, runs diviml-llm-bench on them and writes
# docs/llm-bench.md. Usage: bench/llm_bench.sh [BUILD_DIR]; WITHOUT_LIMIT=N
# runs the op-by-op comparison only where ops x devices <= N.
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
bench=$build/bin/diviml-llm-bench
gen=$build/bin/diviml-modelgen
opt=$build/bin/diviml-opt
if [ ! -x "$bench" ] || [ ! -x "$gen" ] || [ ! -x "$opt" ]; then
  echo "build diviml-llm-bench, diviml-modelgen and diviml-opt first" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
models=""
for size in 7b 13b 70b; do
  "$gen" llm --size $size --seq-len 128 -o "$tmp/llm-$size-prefill.mlir"
  "$gen" llm --size $size --mode decode --seq-len 1 --context 1024 \
    --kv-cache resident -o "$tmp/llm-$size-decode.mlir"
  models="$models $tmp/llm-$size-prefill.mlir $tmp/llm-$size-decode.mlir"
done
out=$here/docs/llm-bench.md
start=$(date +%s)
{
  echo "# LLMs over clusters: split with and without symmetry"
  echo
  echo "Written by \`bench/llm_bench.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores shared with"
  echo "other builds, so times are noisy). Models: \`diviml-modelgen llm --size S --seq-len 128\`"
  echo "(prefill) and \`--mode decode --seq-len 1 --context 1024 --kv-cache resident\` (decode),"
  echo "f32, batch 1; objective throughput; roofline costs of the presets. What the columns mean:"
  echo "[split.md](split.md#symmetry-identical-layers-as-a-pipeline-throughput). The op-by-op"
  echo "search (without symmetry) runs with split's defaults (refinement on, 60-s time cap:"
  echo "where a plan takes 60 s the cap struck and its value depends on the machine's load)."
  echo
  if [ -n "${WITHOUT_LIMIT:-}" ]; then
    echo "The op-by-op search (without symmetry) ran only where ops × devices ≤ $WITHOUT_LIMIT"
    echo "(\`WITHOUT_LIMIT\`); elsewhere its columns say \"not run\"."
    echo
  fi
  # shellcheck disable=SC2086
  "$bench" ${WITHOUT_LIMIT:+--without-limit=$WITHOUT_LIMIT} $models
  echo
  echo "The default pass pipeline (partition with split's defaults, symmetry on, then"
  echo "\`--diviml-lower-to-devices\`) on the same models, which verifies every plan (memory"
  echo "included) and lowers it; copies, and seconds for the whole \`diviml-opt\` run:"
  echo
  echo "| model | platform | pipeline | copies | diviml-opt s |"
  echo "|---|---|---|---|---|"
  for model in $models; do
    for platform in cluster-mixed-4 cluster-dgx-8; do
      t0=$(date +%s.%N)
      if "$opt" "$model" -o "$tmp/lowered.mlir" --pass-pipeline="builtin.module(diviml-pipeline{platform=$platform objective=throughput report=$tmp/report.json})" 2> "$tmp/err"; then
        status=lowered
        copies=$(grep -m1 -o '"copies": [0-9]*' "$tmp/report.json" | grep -o '[0-9]*$' || echo 1)
      else
        status="failed: $(head -c 200 "$tmp/err")"
        copies=-
      fi
      t1=$(date +%s.%N)
      echo "| $(basename "$model" .mlir) | $platform | $status | $copies | $(echo "$t1 - $t0" | bc) |"
    done
  done
} > "$out.tmp"
echo >> "$out.tmp"
echo "Total bench wall time: $(( $(date +%s) - start )) s." >> "$out.tmp"
mv "$out.tmp" "$out"
