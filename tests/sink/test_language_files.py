"""Buffered per-language article files hold the rows written directly, in order, under the row-group caps."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.schema import ARTICLE_FILE_SCHEMA
from pipeline.sink.language_files import LanguageFiles


def _rows(count: int, start: int) -> pa.Table:
    columns = {}
    for field in ARTICLE_FILE_SCHEMA:
        if field.name == "doc_id":
            columns[field.name] = pa.array([f"doc-{start + i}" for i in range(count)], field.type)
        elif field.name == "body":
            columns[field.name] = pa.array(["word " * (50 + (start + i) % 7) for i in range(count)], field.type)
        else:
            columns[field.name] = pa.nulls(count, field.type)
    return pa.table(columns, schema=ARTICLE_FILE_SCHEMA)


@pytest.mark.parametrize(("buffer_bytes", "rows_per_group", "groups_per_file", "rows_per_file"),
                         [(1 << 30, 16_000, 64, 500_000), (3_000, 5, 3, 1_000_000), (1, 4, 1_000, 9)])
def test_files_hold_each_language_in_order(tmp_path, buffer_bytes, rows_per_group, groups_per_file,
                                           rows_per_file) -> None:
    rng = random.Random(3)
    expected: dict[str, list[str]] = {}
    made = 0

    def target(language: str, name: str) -> tuple[str, str]:
        return str(tmp_path / language / name), f"{language}/{name}"

    files = LanguageFiles(target, buffer_bytes, rows_per_group, groups_per_file, rows_per_file)
    for _ in range(60):
        language = rng.choice(["de", "fr", "pl", "el"])
        count = rng.randint(1, 6)
        files.add(language, _rows(count, made))
        expected.setdefault(language, []).extend(f"doc-{made + i}" for i in range(count))
        made += count
    outputs = files.close()

    assert sum(output["rows"] for output in outputs) == made
    for language, doc_ids in expected.items():
        paths = sorted(p for p in (tmp_path / language).iterdir() if not p.name.startswith("."))
        assert [f"{language}/{p.name}" for p in paths] == [o["path"] for o in outputs
                                                           if o["path"].startswith(f"{language}/")]
        read = [doc_id for path in paths for doc_id in pq.read_table(path)["doc_id"].to_pylist()]
        assert read == doc_ids
        for path in paths:
            metadata = pq.ParquetFile(path).metadata
            assert metadata.num_row_groups <= groups_per_file
            assert all(metadata.row_group(g).num_rows <= rows_per_group for g in range(metadata.num_row_groups))
            # a file is closed once past its caps, so only a file's last row group may take it past them
            assert metadata.num_rows - metadata.row_group(metadata.num_row_groups - 1).num_rows < rows_per_file


def test_few_big_row_groups_when_the_buffer_allows(tmp_path) -> None:
    """What the buffering is for: not one row group per added slice (the writer keeps each one's metadata)."""
    files = LanguageFiles(lambda language, name: (str(tmp_path / language / name), name), rows_per_group=100)
    for start in range(0, 1_000, 10):
        files.add("de", _rows(10, start))
    files.close()
    assert pq.ParquetFile(tmp_path / "de" / "part-00000.parquet").metadata.num_row_groups == 10


def test_abort_leaves_no_file(tmp_path) -> None:
    files = LanguageFiles(lambda language, name: (str(tmp_path / language / name), name), buffer_bytes=1)
    files.add("de", _rows(5, 0))
    files.abort()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("buffer_bytes", "rows_per_group", "groups_per_file", "rows_per_file"),
                         [(1 << 30, 16_000, 64, 500_000), (3_000, 5, 3, 1_000_000), (1, 4, 1_000, 9),
                          (6_000, 7, 2, 20)])
def test_writers_of_language_sets_make_the_files_of_one_writer(tmp_path, buffer_bytes, rows_per_group,
                                                               groups_per_file, rows_per_file) -> None:
    """Each writer of a set of languages sees every row and writes only its own: together, byte for byte the
    files one writer of every language makes, listed in its order once sorted by `positions`."""
    rng = random.Random(11)
    added = []
    made = 0
    for _ in range(80):
        count = rng.randint(1, 9)
        added.append((rng.choice(["de", "fr", "pl", "el", "fi"]), _rows(count, made)))
        made += count

    def written(folder: str, languages: frozenset[str] | None) -> LanguageFiles:
        files = LanguageFiles(lambda language, name: (str(tmp_path / folder / language / name), f"{language}/{name}"),
                              buffer_bytes, rows_per_group, groups_per_file, rows_per_file, languages)
        for language, rows in added:
            files.add(language, rows)
        files.close()
        return files

    whole = written("whole", None)
    sets = [frozenset({"de", "el"}), frozenset({"fr"}), frozenset({"pl", "fi"})]
    parts = [written("sets", languages) for languages in sets]

    merged = sorted((position, output["path"], output["rows"]) for files in parts
                    for position, output in zip(files.positions, files.outputs, strict=True))
    assert [(path, rows) for _, path, rows in merged] == [(o["path"], o["rows"]) for o in whole.outputs]
    assert [position for position, *_ in merged] == list(range(len(whole.outputs)))
    assert len(whole.outputs) >= 5
    for output in whole.outputs:
        assert (tmp_path / "sets" / output["path"]).read_bytes() == (tmp_path / "whole" / output["path"]).read_bytes()
    assert sorted(p.relative_to(tmp_path / "sets") for p in (tmp_path / "sets").rglob("*.parquet")) == \
        sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*.parquet"))
