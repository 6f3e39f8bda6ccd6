#!/usr/bin/env bash
# Installs dependencies, builds, and partitions the bundled example model
# (GoogLeNet's Inception 3a block) on a platform where spreading it over
# devices pays (gpu-accel: a CPU, a GPU and a DLA sharing memory), for both
# objectives. Prints the gain over the fastest single device first, then why,
# then where the trace, the DOT graph and the lowered IR were written.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
model="${1:-$root/examples/inception_block.mlir}"
platform="${PLATFORM:-gpu-accel}"
"$root/scripts/setup.sh" >/dev/null
"$root/scripts/build.sh" diviml-opt >/dev/null
out="${OUT_DIR:-$(mktemp -d)}"
mkdir -p "$out"
for objective in latency throughput; do
  "$build/bin/diviml-opt" "$model" \
    --diviml-partition="platform=$platform objective=$objective report=$out/$objective.json trace=$out/$objective.trace.json dot=$out/$objective.dot" \
    --diviml-lower-to-devices -o "$out/$objective.lowered.mlir"
done
for objective in latency throughput; do
  python3 "$root/scripts/summarize_report.py" --headline "$out/$objective.json"
done
echo
python3 "$root/scripts/summarize_report.py" "$out/latency.json"
echo
echo "Written to $out:"
echo "  traces (open in https://ui.perfetto.dev, chrome://tracing or docs/trace-viewer.html):"
echo "    $out/latency.trace.json  $out/throughput.trace.json"
echo "  op graphs coloured by device (Graphviz: dot -Tpng FILE -o graph.png):"
echo "    $out/latency.dot  $out/throughput.dot"
echo "  lowered IR (per-device functions joined by diviml.transfer):"
echo "    $out/latency.lowered.mlir  $out/throughput.lowered.mlir"
grep -E "diviml.transfer|call @|func.func" "$out/latency.lowered.mlir" | sed 's/^/  /' | head -20
