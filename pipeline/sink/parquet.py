"""Parquet files written in row batches and made visible only once complete."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import faultpoint, storage
from pipeline.schema import DICTIONARY_COLUMNS

ROWS_PER_BATCH = 2_000
ROWS_PER_GROUP = 16_000
# A batch (one row group of a staged file) is also written once its rows hold this many characters of text:
# 2,000 pages of ~5,600 characters were a row group of 11 MB, and a cleaning worker held it three times over
# at each batch (the group read, its rows as Python objects, the articles buffered and converted for the
# next write): +35 MB at every 2,000 pages. Bounded by text, a batch's cost does not follow the page size.
BATCH_CHARACTERS = 2_000_000
# Published files are zstd (small, what readers expect); the run's own work files, written once and read once
# or twice by the next stage, are LZ4: on 3,000 bench articles (15 MB of text) zstd cost 0.08-0.11 CPU-s to
# write and 0.04-0.11 to read, LZ4 0.06-0.07 and 0.02-0.07, for files ~45% larger.
PUBLISHED_COMPRESSION = "zstd"
WORK_COMPRESSION = "lz4"


class StagedParquetWriter:
    """Appends rows in batches to a hidden temporary file, renamed into place on `commit`.

    A crash leaves only the temporary file, which no reader (and no later stage) opens. For an object-store
    URL the temporary file is local and `commit` uploads it as one object, which S3 makes visible only once
    the upload completes: a crash leaves nothing at the URL.
    """

    def __init__(self, path: str, schema: pa.Schema, rows_per_batch: int = ROWS_PER_BATCH,
                 batch_characters: int = BATCH_CHARACTERS, compression: str = PUBLISHED_COMPRESSION) -> None:
        self.path = path
        self.schema = schema
        self.rows_written = 0
        # The buffered rows: dicts (`write`) or values in the schema's order (`append`, cut into columns by one
        # zip at the flush: no dict to make per row, nor to look up by every column's name).
        self._rows: list[dict | Sequence] = []
        self._dicts = False  # whether a buffered row is a dict
        self._rows_per_batch = rows_per_batch
        self._batch_characters = batch_characters
        self._characters = 0
        self._remote = storage.is_remote(path)
        if self._remote:
            self._scratch = storage.scratch_dir()
            self._temporary = os.path.join(self._scratch, "staged.parquet")
        else:
            directory, name = os.path.split(path)
            self._temporary = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
            os.makedirs(directory or ".", exist_ok=True)
        dictionary = [name for name in DICTIONARY_COLUMNS if name in schema.names]
        self._writer = pq.ParquetWriter(self._temporary, schema, compression=compression, use_dictionary=dictionary,
                                        write_statistics=True)

    def write(self, row: dict) -> None:
        """Append one row, by column name (a column it lacks is null)."""
        self._dicts = True
        self._add(row, row.values())

    def append(self, values: Sequence) -> None:
        """Append one row given as its values in the schema's column order."""
        self._add(values, values)

    def _add(self, row: dict | Sequence, values: Iterable) -> None:
        self._rows.append(row)
        self._characters += sum(len(value) for value in values if isinstance(value, (str, bytes)))
        if len(self._rows) >= self._rows_per_batch or self._characters >= self._batch_characters:
            self._flush()

    def write_table(self, table: pa.Table) -> None:
        self._flush()
        if table.num_rows:
            self._writer.write_table(table.select(self.schema.names).cast(self.schema), row_group_size=ROWS_PER_GROUP)
            self.rows_written += table.num_rows
            faultpoint.reached("parquet_batch")

    def _flush(self) -> None:
        if self._rows:
            if self._dicts:
                names = self.schema.names
                rows = [row if isinstance(row, dict) else dict(zip(names, row, strict=True)) for row in self._rows]
                table = pa.Table.from_pylist(rows, schema=self.schema)
            else:
                table = pa.Table.from_arrays([pa.array(column, type=field.type) for column, field in
                                              zip(zip(*self._rows, strict=True), self.schema, strict=True)],
                                             schema=self.schema)
            self._writer.write_table(table, row_group_size=ROWS_PER_GROUP)
            self.rows_written += len(self._rows)
            self._rows = []
            self._dicts = False
            self._characters = 0
            faultpoint.reached("parquet_batch")

    def commit(self) -> str:
        self._flush()
        self._writer.close()
        with open(self._temporary, "rb") as handle:
            os.fsync(handle.fileno())
        faultpoint.reached("parquet_commit")
        if self._remote:
            try:
                storage.upload(self._temporary, self.path)
            finally:
                storage.remove_tree(self._scratch)
            return self.path
        os.replace(self._temporary, self.path)
        return self.path

    def abort(self) -> None:
        self._writer.close()
        if self._remote:
            storage.remove_tree(self._scratch)
        elif os.path.exists(self._temporary):
            os.remove(self._temporary)

    def __enter__(self) -> StagedParquetWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def iter_rows(path: str, columns: list[str] | None = None) -> Iterator[dict]:
    """Rows of a staged file, one row group in memory at a time."""
    for batch in iter_batches([path], columns=columns):
        yield from batch.to_pylist()


def iter_batches(paths: Iterable[str], columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """Batches of at most ROWS_PER_BATCH rows, read a row group at a time.

    `ParquetFile.iter_batches` held ~45 MB of Arrow memory for one 2,000-page batch of a staged pages file
    (10 MB of text), and its peak stayed with the process; a row group read whole costs its own size.
    Staged files are written in row groups of at most ROWS_PER_GROUP rows."""
    for path in paths:
        parquet = open_parquet(path)
        for group in range(parquet.num_row_groups):
            yield from parquet.read_row_group(group, columns=columns).to_batches(max_chunksize=ROWS_PER_BATCH)


def iter_row_range(path: str, first: int, count: int) -> Iterator[dict]:
    """`count` rows of a staged file from row `first`; row groups outside the range are not read."""
    parquet = open_parquet(path)
    end = 0
    for group in range(parquet.num_row_groups):
        start, end = end, end + parquet.metadata.row_group(group).num_rows
        if start >= first + count:
            return
        if end > first:
            table = parquet.read_row_group(group)
            table = table.slice(max(first - start, 0), first + count - max(first, start))
            for batch in table.to_batches(max_chunksize=ROWS_PER_BATCH):
                yield from batch.to_pylist()


def iter_selected_rows(path: str, rows: list[int], columns: list[str] | None = None) -> Iterator[dict]:
    """The rows of a staged file at these ascending positions, reading only the row groups that hold them."""
    parquet = open_parquet(path)
    position = end = 0
    for group in range(parquet.num_row_groups):
        start, end = end, end + parquet.metadata.row_group(group).num_rows
        wanted = []
        while position < len(rows) and rows[position] < end:
            wanted.append(rows[position] - start)
            position += 1
        if wanted:
            yield from parquet.read_row_group(group, columns=columns).take(pa.array(wanted, pa.int64())).to_pylist()
        if position == len(rows):
            return


def open_parquet(path: str) -> pq.ParquetFile:
    """A Parquet file at a local path or an object-store URL."""
    return pq.ParquetFile(storage.open_input_file(path))
