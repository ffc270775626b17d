#!/usr/bin/env bash
# Install everything the tests need (Python packages into .venv, Debian packages for the services the
# tests start), then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements-dev.txt
bash scripts/system_packages.sh
exec .venv/bin/python -m pytest "$@"
