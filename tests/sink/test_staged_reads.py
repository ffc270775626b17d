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


def test_rows_appended_as_values_or_written_as_dicts_make_the_same_file(tmp_path) -> None:
    schema = pa.schema([("doc_id", pa.string()), ("repairs", pa.list_(pa.string())), ("text", pa.large_string()),
                        ("fingerprints", pa.binary()), ("row", pa.int64())])
    rows = [{"doc_id": f"d{n}", "repairs": ["r"] * (n % 3) if n % 4 else None, "text": "é" * (n * 37 % 200),
             "fingerprints": bytes(n % 16), "row": n if n % 5 else None} for n in range(300)]
    rows[7].pop("text")  # a column a dict lacks is null
    paths = [str(tmp_path / f"{how}.parquet") for how in ("dicts", "values", "mixed")]
    for how, path in enumerate(paths):
        with StagedParquetWriter(path, schema, rows_per_batch=64, batch_characters=3_000) as writer:
            for n, row in enumerate(rows):
                if how == 0 or how == 2 and n % 3 == 0:
                    writer.write(row)
                else:
                    writer.append(tuple(row.get(name) for name in schema.names))
    files = [pq.ParquetFile(path) for path in paths]
    groups = [[file.metadata.row_group(g).num_rows for g in range(file.metadata.num_row_groups)] for file in files]
    assert groups[0] == groups[1] == groups[2]
    assert len(groups[0]) > 300 // 64 + 1  # cut by text too
    expected = [{name: row.get(name) for name in schema.names} for row in rows]
    for file in files:
        assert file.read().to_pylist() == expected
        assert file.read().equals(files[0].read())
