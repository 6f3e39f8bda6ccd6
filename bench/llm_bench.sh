#!/bin/sh
# Generates the 7B/13B/70B-class models (prefill and decode) with
# diviml-modelgen, runs diviml-llm-bench on them and writes
# docs/llm-bench.md. Usage: bench/llm_bench.sh [BUILD_DIR].
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
bench=$build/bin/diviml-llm-bench
gen=$build/bin/diviml-modelgen
if [ ! -x "$bench" ] || [ ! -x "$gen" ]; then
  echo "build diviml-llm-bench and diviml-modelgen first" >&2
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
  echo "[split.md](split.md#symmetry-identical-layers-as-a-pipeline-throughput)."
  echo
  # shellcheck disable=SC2086
  "$bench" $models
} > "$out.tmp"
echo >> "$out.tmp"
echo "Total bench wall time: $(( $(date +%s) - start )) s." >> "$out.tmp"
mv "$out.tmp" "$out"
