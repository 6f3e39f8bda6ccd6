#!/usr/bin/env bash
# check-install.sh <source dir> <build dir> <work dir>: installs the build
# into a fresh prefix, builds examples/consumer against it alone and runs it
# on the bundled example; then configures a library-only build with
# GoogleTest and Google Benchmark made unfindable.
set -euo pipefail
src="$1" build="$2" work="$3"
rm -rf "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

for f in include/diviml/Passes/Passes.h include/diviml/Passes/Passes.h.inc \
         include/diviml/Dialect/DivimlOps.h.inc include/diviml/Model/Problem.h \
         lib/libDivimlPasses.a lib/DivimlPlugin.so lib/cmake/Diviml/DivimlConfig.cmake \
         bin/diviml-opt bin/diviml-translate bin/diviml-modelgen; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
# Not grep -q: it would close the pipe early and pipefail would see SIGPIPE.
"$prefix/bin/diviml-opt" --help | grep diviml-lower-to-devices >/dev/null

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -G Ninja -S "$src/examples/consumer" -B "$work/consumer" \
  -DCMAKE_PREFIX_PATH="$prefix" "${launcher[@]}" >/dev/null
cmake --build "$work/consumer" >/dev/null
out="$("$work/consumer/place" "$src/examples/inception_block.mlir")"
grep -q "diviml.transfer" <<<"$out" || { echo "FAIL: no transfer in the consumer's output"; exit 1; }
grep -q 'diviml.device = "gpu' <<<"$out" || { echo "FAIL: nothing placed on a GPU"; exit 1; }
echo "consumer: $(grep -c 'diviml.transfer' <<<"$out") transfers"

cmake -G Ninja -S "$src" -B "$work/library-only" -DDIVIML_BUILD_TESTS=OFF \
  -DDIVIML_BUILD_BENCHMARKS=OFF -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON >/dev/null
echo "PASS: installed, consumer built and run, library-only build configured"
