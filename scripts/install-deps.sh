#!/usr/bin/env bash
# Installs the Debian packages robustlab builds and runs with, only those that are missing,
# so a machine that has them all does not touch apt at all.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config          # toolchain
  libtorch-dev libopenblas0-pthread         # tensors, autograd; the BLAS LibTorch's GEMMs go through
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  zlib1g-dev                                # gzip-compressed dataset files
  libssl-dev                                # SHA-256 of the models a result measured
  libgtest-dev libbenchmark-dev
  python3-torch                             # tests only: Python's torch.load reads our files, crafted files
  clang-14 libclang-rt-14-dev               # tests only: the fuzz targets (libFuzzer, ASan, UBSan)
  python3-venv python3-scipy python3-sklearn python3-tqdm  # tests only: the reference attack libraries
  python3-packaging                         # tests only: adversarial-robustness-toolbox imports it
  gnuplot-nox                               # plots in reports
  dataset-fashion-mnist                     # the default real dataset
  libsqlite3-dev sqlite3                    # the sweeps' results store (sqlite3: the shell, to query it)
  slurmctld slurmd slurm-client munge       # tests only: a single-node Slurm the sweep test starts
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "robustlab: installing ${#missing[@]} Debian packages and what they need: ${missing[*]}" >&2
echo "robustlab: (LibTorch is large: the first install takes a few minutes)" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -q
# One line per package fetched and set up, so a long install shows where it is.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" |
  { grep --line-buffered -E '^(Get:|Setting up|E:)' || true; } | sed -u 's/^/  /' >&2
echo "robustlab: packages installed" >&2
