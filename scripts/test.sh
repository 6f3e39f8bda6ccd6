#!/usr/bin/env bash
# Installs dependencies, builds everything, and runs every test: the GoogleTest
# unit tests and the lit/FileCheck suite, both through ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$build"
ctest --output-on-failure -j"${JOBS:-2}"
