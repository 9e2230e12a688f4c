#!/usr/bin/env bash
# Quick start 1: install what is missing, build, run the default study at paper size.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/robustlab run feature-averaging "$@"
