"""What the tests share: paths, running the real CLI, reading its output back with pyarrow."""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from pipeline.config import RunConfig
from pipeline.run import run_pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"
SAMPLE_DIR = ROOT / "sample"


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`python -m pipeline ...` in a fresh process, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"pipeline {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def read_articles(output: Path) -> pa.Table:
    """The whole articles dataset as a reader sees it: Hive partitions ingest_date and language."""
    dataset = ds.dataset(output / "articles", format="parquet", partitioning="hive")
    return dataset.to_table().sort_by([("ingest_date", "ascending"), ("doc_id", "ascending")])


def read_quarantine(output: Path) -> pa.Table:
    return ds.dataset(output / "quarantine", format="parquet", partitioning="hive").to_table()


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
    run_pipeline(config)
    assert_accounted(out, date)
    return read_manifest(out, date)  # run_pipeline's manifest leaves out the per-file list


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


def output_without_and_with_build(tmp_path: Path, script: str, built: list[Path]) -> tuple[str, str]:
    """What `script` prints in a fresh interpreter over a copy of the pipeline package (its own numba cache,
    no PYTHONPATH): first without the ahead-of-time build files `built`, then with them moved into the copy."""
    package = tmp_path / "pipeline"
    for source in (ROOT / "pipeline").rglob("*.py"):
        target = package / source.relative_to(ROOT / "pipeline")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    env = {"PATH": "/usr/bin:/bin", "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    outputs = []
    for _ in range(2):
        outputs.append(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                                      cwd=tmp_path, env=env).stdout)
        for path in built:
            if path.exists():
                path.rename(package / path.name)
    return outputs[0], outputs[1]
