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
# Bytecode compiled now, not by each process: PYTHONDONTWRITEBYTECODE (set in some environments) would otherwise
# make every `python -m pipeline` and Airflow task compile the imported libraries again (~0.3 CPU-s each).
.venv/bin/uv pip install --quiet --compile-bytecode --python .venv/bin/python -r "${1:-requirements-dev.txt}" \
    -c constraints.txt
# Our own package too; Python compares each .pyc with its source's mtime and size, so an edit is never shadowed.
.venv/bin/python -m compileall -q pipeline dags
# langid's kernels as an extension module, so that a process need not import numba (see pipeline/langid_build.py).
.venv/bin/python -m pipeline.langid_build
