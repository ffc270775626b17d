"""`python -m pipeline`: see pipeline.cli.

Once main has returned, the process ends the way multiprocessing's workers and Airflow's task processes
do: the exit handlers run, the standard streams are flushed, then `os._exit`. The interpreter's own
finalization would free every loaded module's objects one by one (~0.2 CPU-s after a run, serial after
the workers have finished), memory the OS takes back whole. Every file a command writes is closed
before main returns; an error raised out of main takes the ordinary exit.
"""

import atexit
import contextlib
import os
import sys

from pipeline.cli import main


def _exit_without_finalizing(status: int) -> None:
    atexit._run_exitfuncs()  # noqa: SLF001 - what a normal exit would run first (multiprocessing and Airflow do this too)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing left to tell it
            stream.flush()
    os._exit(status)


_exit_without_finalizing(main() or 0)
