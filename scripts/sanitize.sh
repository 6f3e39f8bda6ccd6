#!/usr/bin/env bash
# Builds diviml with AddressSanitizer and UndefinedBehaviorSanitizer (GCC's)
# into ./build-asan (override with BUILD_DIR) and runs every unit and lit
# test there. Slow: a full build without ccache hits, then the tests at a
# few times their usual time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-asan}"
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1 -g1"
args=(-G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
      "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_C_FLAGS=$flags"
      "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
      "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined"
      -DDIVIML_BUILD_BENCHMARKS=OFF)
[ -n "${MLIR_DIR:-}" ] && args+=(-DMLIR_DIR="$MLIR_DIR")
command -v ccache >/dev/null && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake "${args[@]}" >/dev/null
ninja -C "$build" -j"${JOBS:-2}"
cd "$build"
# LLVM's and GLPK's own allocations live until exit; leaks there are not ours.
# The plugin is loaded into the stock mlir-opt, which is not instrumented
# (ASan would have to be preloaded), so the lit tests that load the plugin and the
# install test (which builds a consumer without the sanitizers) are skipped.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LIT_FILTER_OUT="plugin/|upstream/bufferize-"
ctest --output-on-failure -j"${JOBS:-2}" -E "install" "$@"
