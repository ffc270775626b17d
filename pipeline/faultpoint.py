"""A test hook that stops the process at a named point, to prove crashes lose nothing. Inert unless set.

`NEWSETL_FAULT=POINT:N[:stop]` makes the N-th time (1-based, per process) this process reaches
`reached(POINT)` send itself SIGKILL, or SIGSTOP with `:stop` (a frozen run that still holds its locks).
Points: `document` (each ingested document), `stage` (after each stage of `run_pipeline`),
`parquet_batch` (each batch written to a staged file), `parquet_commit` (a staged file complete, not yet
renamed), `publish` (between the steps of a date's publish), `swap` (inside a directory swap).

With `NEWSETL_FAULT_ONCE=PATH` as well, only the first process to get there acts (it creates PATH
first): an Airflow task is then killed on its first try and left alone on its retry.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENVIRONMENT_VARIABLE = "NEWSETL_FAULT"
ONCE_VARIABLE = "NEWSETL_FAULT_ONCE"

_reached: Counter = Counter()


def reached(point: str) -> None:
    spec = os.environ.get(ENVIRONMENT_VARIABLE)
    if not spec:
        return
    name, _, rest = spec.partition(":")
    if name != point:
        return
    count, _, action = rest.partition(":")
    _reached[point] += 1
    if _reached[point] == int(count or 1) and _first_across_processes():
        os.kill(os.getpid(), signal.SIGSTOP if action == "stop" else signal.SIGKILL)


def _first_across_processes() -> bool:
    marker = os.environ.get(ONCE_VARIABLE)
    if not marker:
        return True
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True
