#!/usr/bin/env bash
# Builds the libFuzzer targets under fuzz/ with clang-22, ASan and UBSan into
# ./build-fuzz (override with FUZZ_BUILD_DIR) and runs each for FUZZ_SECONDS
# (default 20) after replaying the crashers kept in fuzz/regressions/.
# Seeds of the JSON readers: every JSON file of the repository and the JSON
# examples of docs/.
# Exits non-zero when any target crashes, hangs (an input over FUZZ_TIMEOUT
# seconds, default 10), runs out of memory or reports undefined behaviour;
# the input that did it is written to the build dir's fuzz-artifacts/.
# Arguments name the targets to run: platform, msr, profile, algorithms
# (the default: all four) and partition (the pipeline on MLIR text; it
# builds the dialect and the passes too, so it runs only when named).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-20}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(platform msr profile algorithms)
"$root/scripts/setup.sh" # clang-22 and its libFuzzer runtime among the rest

# -O1 with line tables: quicker to build than -O2 -g, and stack traces
# still name the lines.
opt="-O1 -gline-tables-only -DNDEBUG"
args=(-G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
      "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$opt" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=$opt"
      -DCMAKE_C_COMPILER="${FUZZ_CC:-clang-22}"
      -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++-22}"
      -DDIVIML_BUILD_FUZZERS=ON -DDIVIML_BUILD_TESTS=OFF
      -DDIVIML_BUILD_BENCHMARKS=OFF)
[ -n "${MLIR_DIR:-}" ] && args+=(-DMLIR_DIR="$MLIR_DIR")
command -v ccache >/dev/null && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake "${args[@]}" >/dev/null
ninja -C "$build" -j"${JOBS:-2}" "${targets[@]/#/diviml-fuzz-}"

# Seeds, the same for every JSON reader: they share the JSON layer, and
# libFuzzer keeps only the inputs that reach new code. The pipeline target
# starts from the repository's MLIR files.
seeds="$build/fuzz-seeds"
rm -rf "$seeds" && mkdir -p "$seeds/json" "$seeds/mlir"
for ext in json mlir; do
  git -C "$root" ls-files -z "*.$ext" | while IFS= read -r -d '' file; do
    cp "$root/$file" "$seeds/$ext/$(echo "$file" | tr / _)"
  done
done
for doc in "$root"/docs/*.md; do
  awk -v out="$seeds/json/$(basename "$doc" .md)-" \
    '/^```json/ { n++; inside = 1; next } /^```/ { inside = 0 }
     inside { print > (out n ".json") }' "$doc"
done

# allow_user_poisoning=0: see scripts/sanitize.sh (LLVM's allocator shared
# between instrumented code and the uninstrumented libMLIR).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:allow_user_poisoning=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for target in "${targets[@]}"; do
  bin="$build/bin/diviml-fuzz-$target"
  [ -x "$bin" ] || { echo "fuzz: no target '$target'" >&2; exit 2; }
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  flags=(-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048
         -artifact_prefix="$artifacts")
  inputs=("$corpus")
  case "$target" in
  algorithms) flags+=(-max_len=64) ;; # what its decoder reads
  partition) flags+=(-max_len=65536) && inputs+=("$seeds/mlir") ;;
  *) flags+=(-max_len=65536 -dict="$root/fuzz/json.dict") && inputs+=("$seeds/json") ;;
  esac
  regressions=("$root/fuzz/regressions/$target"/*)
  if [ -e "${regressions[0]}" ]; then
    echo "fuzz: $target: replaying ${#regressions[@]} kept crashers"
    "$bin" "${flags[@]}" "${regressions[@]}" >"$build/fuzz-$target.log" 2>&1 ||
      { failed+=("$target (a kept crasher)"); tail -30 "$build/fuzz-$target.log"; continue; }
  fi
  echo "fuzz: $target: ${seconds}s"
  if "$bin" "${flags[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      "${inputs[@]}" >"$build/fuzz-$target.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done' "$build/fuzz-$target.log" |
      sed "s/^/fuzz: $target: /"
  else
    failed+=("$target")
    tail -40 "$build/fuzz-$target.log"
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs under $build/fuzz-artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash"
