"""Helpers for the cleaning tests: run the real pipeline on a folder and read its articles back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from pipeline.config import RunConfig
from pipeline.run import run_pipeline

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED_DIR = SHARED / "seed"
SEED_NAME = "000_ac02c45ab0a98da2.txt"


def run_and_read(inputs: Path, out: Path, day: dt.date = dt.date(2022, 1, 10)) -> dict[str, dict]:
    run_pipeline(RunConfig(inputs=(str(inputs),), output=str(out), ingest_date=day))
    table = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table()
    return {row["doc_id"]: row for row in table.to_pylist()}


@pytest.fixture
def seed_text() -> str:
    if not (SEED_DIR / SEED_NAME).is_file():
        pytest.skip("../shared/seed is not there")
    return (SEED_DIR / SEED_NAME).read_text(encoding="utf-8")


@pytest.fixture
def expected() -> dict:
    return json.loads((SEED_DIR / "expected.json").read_text(encoding="utf-8"))
