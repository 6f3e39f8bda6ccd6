#!/usr/bin/env bash
# Installs what diviml needs from Debian 12's own repositories, idempotently:
# packages already present are left alone and apt is not called at all.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config python3
  llvm-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libglpk-dev libspdlog-dev coinor-libcbc-dev
  libgtest-dev libbenchmark-dev
  python3-torch
  clang-22 libclang-rt-22-dev
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
