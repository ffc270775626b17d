"""Point Airflow at a throwaway home before anything imports it, and migrate its database once."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.airflow_env import airflow_environment, migrate

_HOME = Path(tempfile.mkdtemp(prefix="newsetl-airflow-"))
os.environ.update({k: v for k, v in airflow_environment(_HOME).items() if k.startswith(("AIRFLOW", "PYTHONPATH"))})


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    migrate(dict(os.environ))
    return _HOME
