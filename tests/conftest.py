"""Fixtures for every test. The autouse `every_manifest_accounted` checks, after each test, every
manifest it left under its `tmp_path`, so a run that loses a document fails whatever the test asserted.
Helpers (`run_checked`, `assert_accounted`, synthetic pages...) live in tests/support.py."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest

from tests.support import article_page, assert_accounted, write_files


@pytest.fixture(autouse=True)
def every_manifest_accounted(tmp_path: Path):
    """After each test: every date any run of it published is fully accounted."""
    yield
    for manifest in glob.glob(str(tmp_path / "**" / "manifests" / "ingest_date=*.json"), recursive=True):
        out = os.path.dirname(os.path.dirname(manifest))
        date = os.path.basename(manifest).removeprefix("ingest_date=").removesuffix(".json")
        assert_accounted(out, date)


@pytest.fixture
def news_pages(tmp_path: Path) -> Path:
    """A folder of six distinct pages of one site (so its chrome repeats)."""
    return write_files(tmp_path / "pages" / "example", {f"page-{i}.txt": article_page(i) for i in range(6)})


@pytest.fixture(scope="session")
def cli_process():
    """Start the CLI (`pipeline.cli.main`) in a real child process, forked from a server that has already
    imported the pipeline (a fresh interpreter would spend ~2 s on imports per run). Returns the started
    `multiprocessing.Process`: `.join()` it; `.exitcode` is -9 when the fault hook killed it."""
    import multiprocessing
    from multiprocessing import forkserver

    import cli_child

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cli_child"])
    # The fork server is a fresh interpreter that must find the pipeline and this folder to preload them.
    saved = os.environ.get("PYTHONPATH")
    here = os.path.dirname(os.path.abspath(__file__))
    os.environ["PYTHONPATH"] = os.pathsep.join([here, os.path.dirname(here), *([saved] if saved else [])])
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved

    def start(argv: list[str], fault: str | None = None):
        process = context.Process(target=cli_child.run, args=(argv, fault))
        process.start()
        return process

    return start
