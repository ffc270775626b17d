"""The date's article files, one folder per language, written from staged batches in bounded memory.

A Parquet writer holds the metadata of every row group it wrote (~20 KB each for the article schema) until
it closes the file. Written as they came, a staged batch's rows of one language at a time (~70 rows among
25 languages), a 2 GB dump made 208 row groups per language file, 5,200 in all: ~100 MB held by the
publishing process, growing with the input, and as much again to serialize each footer. So rows are
buffered per language and written as row groups of up to ROWS_PER_GROUP rows (the biggest buffer goes out
first when all of them pass BUFFER_BYTES), and a file is closed after GROUPS_PER_FILE row groups or
ROWS_PER_FILE rows: what is held is bounded by the languages and these caps, not by the input. Within a
language the rows keep their staged order, so the records are those the direct writes gave.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from pipeline.schema import ARTICLE_FILE_SCHEMA
from pipeline.sink.parquet import ROWS_PER_GROUP, StagedParquetWriter

ROWS_PER_FILE = 500_000
GROUPS_PER_FILE = 64
BUFFER_BYTES = 32 * 1024 * 1024


class LanguageFiles:
    """Article rows in, `part-NNNNN.parquet` files per language out; `outputs` lists the committed ones.

    `target(language, name)` gives a new file's location and the path the manifest names it by.
    """

    def __init__(self, target: Callable[[str, str], tuple[str, str]], buffer_bytes: int = BUFFER_BYTES,
                 rows_per_group: int = ROWS_PER_GROUP, groups_per_file: int = GROUPS_PER_FILE,
                 rows_per_file: int = ROWS_PER_FILE) -> None:
        self.outputs: list[dict[str, Any]] = []
        self._target = target
        self._buffer_bytes = buffer_bytes
        self._rows_per_group = rows_per_group
        self._groups_per_file = groups_per_file
        self._rows_per_file = rows_per_file
        self._buffers: dict[str, list[pa.Table]] = {}  # in the order languages first came: the outputs' order
        self._buffered_bytes = 0
        self._language_bytes: dict[str, int] = {}  # what each buffer holds, kept as rows come: summing its
        self._language_rows: dict[str, int] = {}  # tables' nbytes at every add took half of publishing's CPU
        self._writers: dict[str, tuple[StagedParquetWriter, str]] = {}
        self._groups: dict[str, int] = {}
        self._files: dict[str, int] = {}

    def add(self, language: str, rows: pa.Table) -> None:
        """Queue rows of one language; they are written by `close` at the latest."""
        self._buffers.setdefault(language, []).append(rows)
        size = rows.nbytes
        self._buffered_bytes += size
        self._language_bytes[language] = self._language_bytes.get(language, 0) + size
        self._language_rows[language] = self._language_rows.get(language, 0) + rows.num_rows
        if self._language_rows[language] >= self._rows_per_group:
            self._flush(language)
        while self._buffered_bytes > self._buffer_bytes:
            self._flush(max(self._buffers, key=self._language_bytes.__getitem__))

    def close(self) -> list[dict[str, Any]]:
        """Write what is buffered and commit every open file; returns `outputs`."""
        for language in self._buffers:
            self._flush(language)
            if language in self._writers:
                self._commit(language)
        return self.outputs

    def abort(self) -> None:
        for writer, _ in self._writers.values():
            writer.abort()
        self._writers.clear()

    def _flush(self, language: str) -> None:
        buffer = self._buffers[language]
        if not buffer:
            return
        table = pa.concat_tables(buffer)
        self._buffered_bytes -= self._language_bytes[language]
        self._language_bytes[language] = self._language_rows[language] = 0
        buffer.clear()
        for start in range(0, table.num_rows, self._rows_per_group):
            self._writer(language).write_table(table.slice(start, self._rows_per_group))
            self._groups[language] += 1

    def _writer(self, language: str) -> StagedParquetWriter:
        if language in self._writers:
            writer, _ = self._writers[language]
            if writer.rows_written < self._rows_per_file and self._groups[language] < self._groups_per_file:
                return writer
            self._commit(language)
        number = self._files.get(language, 0)
        self._files[language] = number + 1
        location, relative = self._target(language, f"part-{number:05d}.parquet")
        writer = StagedParquetWriter(location, ARTICLE_FILE_SCHEMA)
        self._writers[language] = (writer, relative)
        self._groups[language] = 0
        return writer

    def _commit(self, language: str) -> None:
        writer, relative = self._writers.pop(language)
        writer.commit()
        self.outputs.append({"path": relative, "rows": writer.rows_written})
