"""The character-class tables saved at install: what `re` matches, read back without marking them again."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from pipeline import aot_builds


def test_saved_table_is_the_regex_class_and_is_mapped(tmp_path: Path) -> None:
    path = aot_builds.save_character_class_table(r"\d", tmp_path)
    assert path == aot_builds.character_class_path(r"\d", tmp_path)
    loaded = aot_builds.character_class_table(r"\d", tmp_path)
    assert isinstance(loaded, np.memmap) and not loaded.flags.writeable
    digits = [code for code in range(sys.maxunicode + 1) if re.fullmatch(r"\d", chr(code))]
    assert np.flatnonzero(loaded).tolist() == digits
    assert aot_builds.character_class_path(r"\w", tmp_path) != path  # each class its own table


def test_without_a_saved_table_the_class_is_marked_here(tmp_path: Path) -> None:
    computed = aot_builds.character_class_table(r"\w", tmp_path)
    assert not isinstance(computed, np.memmap)
    assert computed[ord("a")] and computed[ord("_")] and computed[ord("ß")] and not computed[ord("-")]
    (aot_builds.character_class_path(r"\w", tmp_path)).write_bytes(b"torn")  # a damaged file is not read
    assert np.array_equal(aot_builds.character_class_table(r"\w", tmp_path), computed)


def test_saved_printable_table_is_isprintable(tmp_path: Path) -> None:
    assert not isinstance(aot_builds.printable_table(tmp_path), np.memmap)  # nothing saved: computed here
    aot_builds.save_character_class_table(aot_builds.PRINTABLE, tmp_path)
    loaded = aot_builds.printable_table(tmp_path)
    assert isinstance(loaded, np.memmap) and len(loaded) == aot_builds.PRINTABLE_TABLE_SIZE
    expected = [code for code in range(aot_builds.PRINTABLE_TABLE_SIZE) if chr(code).isprintable()]
    assert np.flatnonzero(loaded).tolist() == expected
