"""Staged files read a row group at a time give the rows of the file read whole."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.sink.parquet import StagedParquetWriter, iter_batches, iter_row_range, iter_rows, iter_selected_rows

SCHEMA = pa.schema([("n", pa.int64()), ("text", pa.large_string())])


@pytest.fixture
def staged(tmp_path) -> str:
    path = str(tmp_path / "pages.parquet")
    with StagedParquetWriter(path, SCHEMA, rows_per_batch=7) as writer:  # row groups of 7 rows, the last of 2
        for n in range(100):
            writer.write({"n": n, "text": "x" * n})
    assert pq.ParquetFile(path).metadata.num_row_groups == 15
    return path


def test_rows_and_batches(staged) -> None:
    assert [row["n"] for row in iter_rows(staged)] == list(range(100))
    assert [n for batch in iter_batches([staged, staged], ["n"]) for n in batch["n"].to_pylist()] == [
        *range(100), *range(100)]


@pytest.mark.parametrize(("first", "count"), [(0, 100), (0, 7), (5, 3), (6, 9), (7, 7), (93, 50), (99, 1), (100, 5)])
def test_row_range(staged, first, count) -> None:
    assert [row["n"] for row in iter_row_range(staged, first, count)] == list(range(100))[first:first + count]


@pytest.mark.parametrize("rows", [[], [0], [6, 7], [1, 2, 3, 50, 98, 99], list(range(100))])
def test_selected_rows(staged, rows) -> None:
    assert [(row["n"], row["text"]) for row in iter_selected_rows(staged, rows)] == [(n, "x" * n) for n in rows]


def test_batches_bounded_by_text(tmp_path) -> None:
    """A row group closes at `batch_characters` of text as well as at `rows_per_batch` rows: big pages make
    small groups, so what a reader or writer holds at once does not follow the page size."""
    path = str(tmp_path / "pages.parquet")
    with StagedParquetWriter(path, SCHEMA, rows_per_batch=1_000, batch_characters=250) as writer:
        for n in range(100):
            writer.write({"n": n, "text": "é" * 50 if n < 50 else None})
    metadata = pq.ParquetFile(path).metadata
    groups = [metadata.row_group(group).num_rows for group in range(metadata.num_row_groups)]
    assert groups == [5] * 10 + [50]  # 5 rows of 50 characters each, then the 50 rows without text in one
    assert [row["n"] for row in iter_rows(path)] == list(range(100))
