#!/usr/bin/env bash
# Tests only: the reference attack libraries robustlab's attacks are checked against, pinned, in a
# virtual environment (build/venv) that sees Debian's python3-torch, numpy, scipy and scikit-learn.
# --no-deps: their declared dependencies would pull a second torch and numpy from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv
pins=(torchattacks==3.5.1 adversarial-robustness-toolbox==1.20.1)
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torchattacks, art" 2>/dev/null; then
  echo "robustlab: installing the reference libraries for the tests (${pins[*]}) into $venv" >&2
  rm -rf "$venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install --quiet --no-deps --no-cache-dir "${pins[@]}"
  # What they import from Debian must be there (install-deps.sh): say so here, not as a traceback
  # in two tests.
  "$venv/bin/python" -c "import torchattacks, art" ||
    { echo "robustlab: the reference libraries in $venv do not import (the error above)" >&2; exit 1; }
fi
