#!/usr/bin/env bash
# Calibrates the h200-node platform from the shared measurements and prints
# the fit-quality tables of docs/calibration.md. Writes
# docs/h200-node.calibrated.json. Usage: bench/calibrate_h200.sh [h200-node dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/measurements/h200-node}"
bin="${BUILD_DIR:-$root/build}/bin"
profile="$(mktemp)"
trap 'rm -f "$profile"' EXIT
python3 "$root/bench/min_profile.py" "$data" > "$profile"
"$bin/diviml-calibrate" --platform="$root/bench/h200-node.base.json" \
  --machine="$data/machine.json" --machine-prefix=cpu=cpu16,gpu=gpu \
  --profile="$profile" --copies="$data/transfers.json" --report \
  -o "$root/docs/h200-node.calibrated.json"
"$bin/diviml-calibration-bench" "$data/ops.json" \
  "$root/docs/h200-node.calibrated.json"
