"""The shipped LocalExecutor settings (scripts/airflow_local.env): what the fork server preloads."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support import ROOT

PRELOAD = "AIRFLOW__SCHEDULER__MP_FORKSERVER_PRELOAD"


def preloaded_modules() -> list[str]:
    lines = (ROOT / "scripts" / "airflow_local.env").read_text(encoding="utf-8").splitlines()
    settings = dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return settings[PRELOAD].split(",")


def test_every_preloaded_module_imports_and_leaves_the_pipeline_warm() -> None:
    """multiprocessing's fork server skips a preload module that fails to import, silently: a typo would only
    show as slower tasks. In a fresh interpreter, as the fork server does, each must import, and afterwards
    the language model and its kernels are loaded (each forked task inherits them)."""
    modules = preloaded_modules()
    assert "pipeline.warm_start" in modules
    check = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from pipeline import langid\n"
        "assert langid._model.cache_info().currsize == 1, 'language model not loaded'\n"
        "assert langid._kernels.cache_info().currsize == 1, 'kernels not loaded'\n"
        "from pipeline.clean import fingerprints\n"
        "assert not fingerprints.available() or fingerprints._tables.cache_info().currsize == 1, 'tables not loaded'\n"
        "assert 'pyarrow.dataset' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
