"""With --workers, what every worker needs is loaded once in the run's process before its pool forks: a worker
starts with the cleaning, the readers, dateparser and the language model already there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A fresh process, so that nothing another test imported makes the check pass.
_PROBE = """
import json, sys
from pipeline import run

def probe():
    from pipeline import langid
    from pipeline.clean import dates, normalize, stop_tables
    return {"cleaning": "pipeline.clean.extract" in sys.modules, "readers": "pipeline.ingest.readers" in sys.modules,
            "dates": "dateparser.date" in sys.modules, "model": langid._model.cache_info().currsize == 1,
            "tables": [normalize._printable.cache_info().currsize, stop_tables._saved.cache_info().currsize,
                       dates._names.cache_info().currsize]}

before = "pipeline.clean.extract" in sys.modules
with run._worker_pool(2) as pool:
    seen = [pool.submit(probe).result() for _ in range(4)]
print(json.dumps({"before": before, "workers": seen}))
"""


def test_workers_inherit_what_the_stages_load() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["before"] is False  # planning alone does not import the cleaning
    expected = {"cleaning": True, "readers": True, "dates": True, "model": True, "tables": [1, 1, 1]}
    assert found["workers"] == [expected] * 4
