#!/usr/bin/env bash
# Installs dependencies, builds, and partitions the bundled example model on the
# bundled default platform: prints where each op runs and the predicted
# latency, then the IR lowered to per-device functions with explicit transfers.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
model="${1:-$root/examples/inception_block.mlir}"
platform="${PLATFORM:-cpu-2gpu}"
"$root/scripts/setup.sh" >/dev/null
"$root/scripts/build.sh" diviml-opt >/dev/null
out="$(mktemp -d)"
"$build/bin/diviml-opt" "$model" \
  --diviml-partition="platform=$platform report=$out/report.json" \
  --diviml-lower-to-devices -o "$out/lowered.mlir"
python3 "$root/scripts/summarize_report.py" "$out/report.json"
echo
echo "Lowered IR: $out/lowered.mlir (per-device functions and diviml.transfer ops)"
grep -E "diviml.transfer|call @|func.func" "$out/lowered.mlir" | sed 's/^/  /'
