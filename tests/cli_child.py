"""The child side of conftest's `cli_process`: imported once by the fork server, which then forks a
child per run. Importing it warms the pipeline's lazy state (language profiles, date parser data) with
one tiny run, so each forked CLI run costs what the run itself costs."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile

from pipeline.cli import main
from pipeline.config import RunConfig
from pipeline.run import run_pipeline


def run(argv: list[str], fault: str | None) -> None:
    """The CLI's `main` with the fault hook armed; the exit status is main's."""
    if fault:
        os.environ["NEWSETL_FAULT"] = fault
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the process exits right after
    sys.exit(main(argv))


def _warm() -> None:
    from tests.support import article_page

    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "page.txt"), "w", encoding="utf-8") as handle:
            handle.write(article_page(0))
        run_pipeline(RunConfig(inputs=(folder,), output=os.path.join(folder, "out"), ingest_date=dt.date(2000, 1, 1)))


_warm()
