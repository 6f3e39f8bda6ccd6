#!/bin/sh
# Runs every section of diviml-split-bench and writes docs/split-bench.md.
# Usage: bench/split_bench.sh [BUILD_DIR] [extra diviml-split-bench args]
# BUILD_DIR defaults to build/ (any configuration, DIVIML_CORE_ONLY is
# enough); the Tarnawski workloads are read from ../shared/workloads/msr.
# Takes about 45 minutes on 2 cores (the speed section runs the full MILP
# for 100x split's time on 22 graphs).
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
[ $# -gt 0 ] && shift
bench=$build/bin/diviml-split-bench
if [ ! -x "$bench" ]; then
  echo "build $bench first: ninja -C $build diviml-split-bench" >&2
  exit 1
fi
out=$here/docs/split-bench.md
start=$(date +%s)
{
  echo "# Split heuristic: measured tables"
  echo
  echo "Written by \`bench/split_bench.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores shared with"
  echo "other builds, so times are noisy: read medians). Command:"
  echo "\`diviml-split-bench --msr-dir ../shared/workloads/msr $*\`."
  echo "What each section measures and why: [split.md](split.md)."
  echo
  "$bench" --msr-dir "$here/../shared/workloads/msr" "$@"
} > "$out.tmp"
echo "Total bench wall time: $(( $(date +%s) - start )) s." >> "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
