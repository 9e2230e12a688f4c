#!/usr/bin/env bash
# Quick start 2: install what is missing, build, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/reference-libraries.sh
cd build && ctest --output-on-failure -j"$(nproc)" "$@"
