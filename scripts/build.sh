#!/usr/bin/env bash
# Configures (once) and builds robustlab in Release into build/: the targets named (e.g. robustlab,
# the command alone), or everything (the command, the tests, the benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
if [ $# -gt 0 ]; then cmake --build build --target "$@" -- -j"$(nproc)"; else cmake --build build -- -j"$(nproc)"; fi
