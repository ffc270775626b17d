"""The date's article files, one folder per language, written from staged batches in bounded memory.

A Parquet writer holds the metadata of every row group it wrote (~20 KB each for the article schema) until
it closes the file. Written as they came, a staged batch's rows of one language at a time (~70 rows among
25 languages), a 2 GB dump made 208 row groups per language file, 5,200 in all: ~100 MB held by the
publishing process, growing with the input, and as much again to serialize each footer. So rows are
buffered per language and written as row groups of up to ROWS_PER_GROUP rows (the biggest buffer goes out
first when all of them pass BUFFER_BYTES), and a file is closed after GROUPS_PER_FILE row groups or
ROWS_PER_FILE rows: what is held is bounded by the languages and these caps, not by the input. Within a
language the rows keep their staged order, so the records are those the direct writes gave.

Several processes can share the writing, each a set of languages (`languages`): each is given every row,
so that it takes the same decisions (when a buffer goes out depends on all the buffers), and writes only
its own languages' files. Its `outputs` are then theirs, and `positions` place them among all languages'.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from pipeline.schema import ARTICLE_FILE_SCHEMA
from pipeline.sink.parquet import ROWS_PER_GROUP, StagedParquetWriter

ROWS_PER_FILE = 500_000
GROUPS_PER_FILE = 64
BUFFER_BYTES = 32 * 1024 * 1024


@dataclass(slots=True)
class _OpenFile:
    """A language's current file: its writer (None where another process writes the language) and its size."""

    writer: StagedParquetWriter | None
    relative: str
    rows: int = 0
    groups: int = 0


class LanguageFiles:
    """Article rows in, `part-NNNNN.parquet` files per language out; `outputs` lists the committed ones.

    `target(language, name)` gives a new file's location and the path the manifest names it by. With
    `languages`, only those languages' files are written; `positions[i]` is where `outputs[i]` comes among
    the files of every language, in the order they were committed.
    """

    def __init__(self, target: Callable[[str, str], tuple[str, str]], buffer_bytes: int = BUFFER_BYTES,
                 rows_per_group: int = ROWS_PER_GROUP, groups_per_file: int = GROUPS_PER_FILE,
                 rows_per_file: int = ROWS_PER_FILE, languages: Collection[str] | None = None) -> None:
        self.outputs: list[dict[str, Any]] = []
        self.positions: list[int] = []
        self._target = target
        self._buffer_bytes = buffer_bytes
        self._rows_per_group = rows_per_group
        self._groups_per_file = groups_per_file
        self._rows_per_file = rows_per_file
        self._languages = languages
        self._added: dict[str, int] = {}  # tables added since the last flush, in the order languages first came
        self._buffers: dict[str, list[pa.Table]] = {}  # the added tables, for the languages written here
        self._buffered_bytes = 0
        self._language_bytes: dict[str, int] = {}  # what each buffer holds, kept as rows come: summing its
        self._language_rows: dict[str, int] = {}  # tables' nbytes at every add took half of publishing's CPU
        self._files: dict[str, _OpenFile] = {}
        self._numbers: dict[str, int] = {}
        self._commits = 0

    def writes(self, language: str) -> bool:
        """Whether this language's files are written here (else only followed)."""
        return self._languages is None or language in self._languages

    def add(self, language: str, rows: pa.Table) -> None:
        """Queue rows of one language; they are written by `close` at the latest."""
        self._added[language] = self._added.get(language, 0) + 1
        if self.writes(language):
            self._buffers.setdefault(language, []).append(rows)
        size = rows.nbytes
        self._buffered_bytes += size
        self._language_bytes[language] = self._language_bytes.get(language, 0) + size
        self._language_rows[language] = self._language_rows.get(language, 0) + rows.num_rows
        if self._language_rows[language] >= self._rows_per_group:
            self._flush(language)
        while self._buffered_bytes > self._buffer_bytes:
            self._flush(max(self._added, key=self._language_bytes.__getitem__))

    def close(self) -> list[dict[str, Any]]:
        """Write what is buffered and commit every open file; returns `outputs`."""
        for language in self._added:
            self._flush(language)
            if language in self._files:
                self._commit(language)
        return self.outputs

    def abort(self) -> None:
        for open_file in self._files.values():
            if open_file.writer is not None:
                open_file.writer.abort()
        self._files.clear()

    def _flush(self, language: str) -> None:
        if not self._added[language]:
            return
        rows = self._language_rows[language]
        buffer = self._buffers.get(language)
        table = pa.concat_tables(buffer) if buffer else None
        self._buffered_bytes -= self._language_bytes[language]
        self._language_bytes[language] = self._language_rows[language] = self._added[language] = 0
        if buffer:
            buffer.clear()
        for start in range(0, rows, self._rows_per_group):
            open_file = self._file(language)
            if open_file.writer is not None and table is not None:
                open_file.writer.write_table(table.slice(start, self._rows_per_group))
            open_file.rows += min(self._rows_per_group, rows - start)
            open_file.groups += 1

    def _file(self, language: str) -> _OpenFile:
        open_file = self._files.get(language)
        if open_file is not None:
            if open_file.rows < self._rows_per_file and open_file.groups < self._groups_per_file:
                return open_file
            self._commit(language)
        number = self._numbers.get(language, 0)
        self._numbers[language] = number + 1
        if self.writes(language):
            location, relative = self._target(language, f"part-{number:05d}.parquet")
            open_file = _OpenFile(StagedParquetWriter(location, ARTICLE_FILE_SCHEMA), relative)
        else:
            open_file = _OpenFile(None, "")
        self._files[language] = open_file
        return open_file

    def _commit(self, language: str) -> None:
        open_file = self._files.pop(language)
        if open_file.writer is not None:
            open_file.writer.commit()
            self.outputs.append({"path": open_file.relative, "rows": open_file.rows})
            self.positions.append(self._commits)
        self._commits += 1
