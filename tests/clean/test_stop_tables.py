"""The stop lists and stop-word tables saved at install: the same as those computed from jusText's files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.clean import stop_tables, stopwords, word_counts


def test_saved_lists_and_tables_equal_the_computed_ones(tmp_path: Path) -> None:
    assert stop_tables.save(tmp_path) is not None
    for name in stop_tables.list_names():
        lines = stopwords.read_lines(name)
        assert stop_tables.saved_lines(name, tmp_path) == lines
        saved = stop_tables.saved_table(name, tmp_path)
        computed = word_counts.computed_stop_table(frozenset(lines))
        assert saved is not None and saved[0] == computed[0]
        for mapped, array in zip(saved[1:], computed[1:], strict=True):
            assert isinstance(mapped, np.memmap) and mapped.dtype == array.dtype
            assert np.array_equal(mapped, array)


def test_saving_again_replaces_other_versions(tmp_path: Path) -> None:
    stale = tmp_path / f"{stop_tables.PREFIX}000000000000.letters.npy"
    stale.write_bytes(b"old")
    stop_tables.save(tmp_path)
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        stop_tables.part_path(part, tmp_path).name for part in (*stop_tables.PARTS, stop_tables.OFFSETS))


def test_without_saved_files_the_lists_are_read_and_hashed_here(tmp_path: Path) -> None:
    assert stop_tables.saved_lines("English", tmp_path) is None
    assert stop_tables.saved_table("English", tmp_path) is None
    torn = tmp_path / "torn"
    torn.mkdir()
    stop_tables.save(torn)
    stop_tables.part_path("offsets", torn).write_bytes(b"torn")  # a damaged file is not read
    assert stop_tables.saved_lines("English", torn) is None


def test_a_set_that_is_no_jusText_list_gets_a_computed_table() -> None:
    english = stopwords.stopwords("en")
    assert stopwords.list_name(english) == "English"
    assert stopwords.list_name(stopwords.stopwords("xx")) is None  # the European union: hashed here
    union = stopwords.stopwords("xx")
    for got, expected in zip(word_counts._stop_table(union), word_counts.computed_stop_table(union), strict=True):
        assert np.array_equal(got, expected)
    for got, expected in zip(word_counts._stop_table(english), word_counts.computed_stop_table(english), strict=True):
        assert np.array_equal(got, expected)
