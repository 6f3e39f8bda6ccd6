#!/usr/bin/env bash
# Configures and builds diviml in ./build (override with BUILD_DIR; pass
# MLIR_DIR to use another MLIR 22 install).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
args=(-G Ninja -S "$root" -B "$build")
[ -n "${MLIR_DIR:-}" ] && args+=(-DMLIR_DIR="$MLIR_DIR")
command -v ccache >/dev/null && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake "${args[@]}" >/dev/null
ninja -C "$build" -j"${JOBS:-2}" "$@"
