"""Shared test helpers: synthetic news pages, a pipeline run that checks its own accounting, and a
reader's view of a published date.

Every test that runs the pipeline should go through `run_checked` (or call `assert_accounted`); the
autouse fixture `every_manifest_accounted` checks again, after each test, every manifest it left under
its `tmp_path`, so a run that loses a document fails whatever the test itself asserted.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.config import RunConfig
from pipeline.run import run_pipeline

DATE = "2022-01-10"

_WORD_LIST = (
    "government minister council report city school water energy price market election court police "
    "village river bridge hospital doctor patient teacher student museum festival weather storm season "
    "harvest farmer company worker union contract budget railway station airport passenger holiday summer "
    "winter spring autumn morning evening neighbour community library concert theatre football match "
    "team coach player island coast harbour fisherman forest mountain road traffic accident investigation"
)
_WORDS = _WORD_LIST.split()
_VERBS = ("said", "announced", "reported", "confirmed", "warned", "explained", "promised", "expected", "described",
          "agreed")


def article_page(index: int, site: str = "Example News") -> str:
    """A text dump of one rendered news page: site chrome around a title, byline, dateline and body.

    Pages with different `index` have different titles and bodies; the chrome is the same on all.
    """
    rng = random.Random(index)

    def sentence() -> str:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 11))]
        return f"The {words[0]} {rng.choice(_VERBS)} that the {' '.join(words[1:])} would change this year."

    title = f"{' '.join(rng.choice(_WORDS) for _ in range(6)).capitalize()} in story number {index}"
    paragraphs = [" ".join(sentence() for _ in range(rng.randint(3, 5))) for _ in range(5)]
    return "\n\n".join([
        f"Sign in to {site}",
        "Home | World | Politics | Sport | Culture",
        title,
        f"By Alex Writer{index % 7}",
        "Monday 10 January 2022 09:15 GMT",
        *paragraphs,
        f"© 2022 {site}. All rights reserved.",
    ]) + "\n"


def write_files(folder: Path, files: dict[str, bytes | str]) -> Path:
    """Create `folder` holding `files` (relative name -> content); returns the folder."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return folder


def run_checked(inputs: list[str | Path] | str | Path, out: str | Path, date: str = DATE,
                **overrides: Any) -> dict[str, Any]:
    """Run the whole pipeline in this process, check its accounting, and return the manifest."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    config = RunConfig(inputs=tuple(str(i) for i in inputs), output=str(out),
                       ingest_date=dt.date.fromisoformat(date), **overrides)
    manifest = run_pipeline(config)
    assert_accounted(out, date)
    return manifest


def read_manifest(out: str | Path, date: str = DATE) -> dict[str, Any]:
    with open(os.path.join(out, "manifests", f"ingest_date={date}.json"), encoding="utf-8") as handle:
        return json.load(handle)


def _rows_by_file(folder: str) -> Counter:
    counts: Counter = Counter()
    for path in glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True):
        counts.update(pq.read_table(path, columns=["source_file"])["source_file"].to_pylist())
    return counts


def assert_accounted(out: str | Path, date: str = DATE) -> None:
    """Every document seen is written, quarantined or a duplicate, per input file, counted from the Parquet
    files themselves, not only from the manifest's own arithmetic."""
    manifest = read_manifest(out, date)
    partition = f"ingest_date={date}"
    written = _rows_by_file(os.path.join(out, "articles", partition))
    quarantined = _rows_by_file(os.path.join(out, "quarantine", partition))
    seen_total = 0
    for entry in manifest["inputs"]:
        name = entry["path"]
        assert entry["written"] == written.get(name, 0), (name, entry, written)
        assert entry["quarantined"] == quarantined.get(name, 0), (name, entry, quarantined)
        assert entry["documents_seen"] == entry["written"] + entry["quarantined"] + entry["duplicates"], entry
        assert entry["balanced"] is True, entry
        seen_total += entry["documents_seen"]
    counts = manifest["counts"]
    assert counts["written"] == sum(written.values())
    assert counts["quarantined"] == sum(quarantined.values())
    assert counts["duplicates"] == len(manifest["duplicates"]) == sum(e["duplicates"] for e in manifest["inputs"])
    assert counts["documents_seen"] == seen_total == counts["written"] + counts["quarantined"] + counts["duplicates"]
    assert counts["balanced"] is True
    # Every row belongs to a listed input: nothing is written for a file the manifest does not account.
    names = {entry["path"] for entry in manifest["inputs"]}
    assert set(written) <= names and set(quarantined) <= names, (set(written) | set(quarantined)) - names
    # The published files are exactly the ones the manifest lists: no stray or half-written file.
    listed = {os.path.normpath(o["path"]) for o in manifest["outputs"]}
    on_disk = set()
    for kind in ("articles", "quarantine"):
        root = os.path.join(out, kind, partition)
        for dirpath, _dirs, files in os.walk(root):
            on_disk.update(os.path.normpath(os.path.join(kind, os.path.relpath(os.path.join(dirpath, f), root)))
                           for f in files)
    assert on_disk == listed, (on_disk, listed)


def visible_articles(out: str | Path) -> list[tuple]:
    """What a reader of OUT/articles sees, through pyarrow.dataset (hive partitions), sorted."""
    root = os.path.join(out, "articles")
    if not os.path.isdir(root):
        return []
    table = ds.dataset(root, format="parquet", partitioning="hive").to_table(
        columns=["ingest_date", "language", "doc_id", "content_hash", "body"])
    return sorted(zip(*(table[c].to_pylist() for c in table.column_names), strict=True))


def visible_articles_duckdb(out: str | Path) -> list[tuple]:
    """The same view through DuckDB globbing OUT/articles/**/*.parquet."""
    import duckdb

    pattern = os.path.join(out, "articles", "**", "*.parquet")
    if not glob.glob(pattern, recursive=True):
        return []
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT CAST(ingest_date AS VARCHAR), language, doc_id, content_hash, body "
            "FROM read_parquet(?, hive_partitioning = true)", [pattern]).fetchall()
    return sorted(rows)


_RUN_SPECIFIC = ("run_id", "started_at", "finished_at")


def published(out: str | Path, date: str = DATE) -> dict[str, Any]:
    """A date's whole published output, minus what names the run itself: for comparing two runs."""
    partition = f"ingest_date={date}"
    result: dict[str, Any] = {}
    for kind in ("articles", "quarantine"):
        root = os.path.join(out, kind, partition)
        files = {}
        for path in sorted(glob.glob(os.path.join(root, "**", "*.parquet"), recursive=True)):
            table = pq.read_table(path, partitioning=None)
            files[os.path.relpath(path, root)] = sorted(table.to_pylist(), key=lambda r: (r["doc_id"], str(r)))
        result[kind] = files
    manifest = read_manifest(out, date)
    for key in _RUN_SPECIFIC:
        manifest.pop(key)
    manifest["config"].pop("output")
    result["manifest"] = manifest
    return result


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
