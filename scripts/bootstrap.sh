#!/usr/bin/env bash
# Create .venv with everything newsetl and its tests need, pinned by constraints.txt (regenerate it with
# `uv pip freeze` after changing a requirements file); safe to run again (it only adds what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.8"
fi
.venv/bin/uv pip install --quiet --python .venv/bin/python -r "${1:-requirements-dev.txt}" -c constraints.txt
