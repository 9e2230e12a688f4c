#!/usr/bin/env bash
# Quick start 1: install what is missing, build the command (not the tests), run the default study.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh robustlab
exec build/robustlab run feature-averaging "$@"
