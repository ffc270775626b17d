"""What the tests share: paths, running the real CLI, reading its output back with pyarrow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

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


def read_manifest(output: Path, date: str) -> dict:
    return json.loads((output / "manifests" / f"ingest_date={date}.json").read_text(encoding="utf-8"))


def assert_accounted(manifest: dict) -> None:
    """Every document seen is written, quarantined or a duplicate: per file and in total."""
    counts = manifest["counts"]
    assert counts["documents_seen"] == counts["written"] + counts["quarantined"] + counts["duplicates"], counts
    assert counts["balanced"] is True
    for entry in manifest["inputs"]:
        assert entry["documents_seen"] == entry["written"] + entry["quarantined"] + entry["duplicates"], entry
    assert sum(manifest["written_by_language"].values()) == counts["written"]
    assert sum(manifest["quarantined_by_reason"].values()) == counts["quarantined"]
