#!/usr/bin/env bash
# Installs the Debian packages robustlab builds and runs with, only those that are missing,
# so a machine that has them all does not touch apt at all.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config          # toolchain
  libtorch-dev libopenblas0-pthread         # tensors, autograd; the BLAS LibTorch's GEMMs go through
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  zlib1g-dev                                # gzip-compressed dataset files
  libgtest-dev libbenchmark-dev
  python3-torch                             # tests only: checks Python's torch.load reads our files
  gnuplot-nox                               # plots in reports
  dataset-fashion-mnist                     # the default real dataset
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "robustlab: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
