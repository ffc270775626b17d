"""Which staged articles publishing drops: exact duplicates and reused doc ids, in memory flat in the run's size.

The rule, in input order: an article whose body hash an earlier *kept* article has is a duplicate of it; else
one whose doc_id an earlier row used (whatever became of it) is a reused id; else it is kept. Held as one
dict of every body hash and one set of every doc_id, a 400,000-page run would cost the publishing process
~150 MB (an estimate from the objects' sizes). Both questions are about equal keys only, so they are
answered a slice of keys (a range of the key's hash) at a time (pipeline.key_slices): first which rows
reuse an earlier row's doc_id (which needs only ids), then, per slice of body hashes, which rows are
duplicates of a kept one. Each slice holds at most ~ROWS_PER_SLICE keys; the result is one byte per staged
row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from pipeline.key_slices import rows_by_slice, slice_count
from pipeline.sink.parquet import iter_selected_rows, open_parquet

ROWS_PER_SLICE = 100_000


@dataclass(frozen=True, slots=True)
class Dropped:
    """Per staged file, 1 at each row not to publish; {duplicate doc_id: (source_file, kept doc_id)};
    {reused doc_id: (source_file, body)}. A doc_id repeated among them is keyed `doc_id#row` (row from 1)."""

    rows: list[bytearray]
    duplicates: dict[str, tuple[str, str]]
    reused: dict[str, tuple[str, str]]


def find_dropped(paths: list[str]) -> Dropped:
    """The rows of the staged article files (in their order) that publishing drops, and why."""
    sizes = [open_parquet(path).metadata.num_rows for path in paths]
    slices = slice_count(sum(sizes), ROWS_PER_SLICE)
    id_used_before = [bytearray(size) for size in sizes]
    for rows_of_files in rows_by_slice((_column(path, "doc_id") for path in paths), slices):
        ids: set[str] = set()
        for file_index, rows in enumerate(rows_of_files):
            for row, selected in zip(rows, iter_selected_rows(paths[file_index], rows, ["doc_id"]), strict=True):
                doc_id = selected["doc_id"]
                if doc_id in ids:
                    id_used_before[file_index][row] = 1
                else:
                    ids.add(doc_id)
    dropped = [bytearray(size) for size in sizes]
    duplicate_rows: list[tuple[int, int, str, str, str]] = []
    reused_rows: list[tuple[int, int, str, str]] = []
    for rows_of_files in rows_by_slice((_column(path, "content_hash") for path in paths), slices):
        kept_by_hash: dict[str, str] = {}
        for file_index, rows in enumerate(rows_of_files):
            selected = iter_selected_rows(paths[file_index], rows, ["doc_id", "content_hash", "source_file"])
            for row, values in zip(rows, selected, strict=True):
                doc_id, digest, source_file = values["doc_id"], values["content_hash"], values["source_file"]
                kept = kept_by_hash.get(digest)
                if kept is not None:
                    dropped[file_index][row] = 1
                    duplicate_rows.append((file_index, row, doc_id, source_file, kept))
                elif id_used_before[file_index][row]:
                    dropped[file_index][row] = 1
                    reused_rows.append((file_index, row, doc_id, source_file))
                else:
                    kept_by_hash[digest] = doc_id
    duplicates: dict[str, tuple[str, str]] = {}
    for _file_index, row, doc_id, source_file, kept in sorted(duplicate_rows):
        duplicates[doc_id if doc_id not in duplicates else f"{doc_id}#{row + 1}"] = (source_file, kept)
    reused: dict[str, tuple[str, str]] = {}
    for (_file_index, row, doc_id, source_file), body in zip(sorted(reused_rows), _bodies(paths, sorted(reused_rows)),
                                                           strict=True):
        reused[doc_id if doc_id not in reused else f"{doc_id}#{row + 1}"] = (source_file, body)
    return Dropped(dropped, duplicates, reused)


def _column(path: str, name: str) -> list:
    """One column of a staged file (one part's or shard's: bounded, whatever the run's size)."""
    return open_parquet(path).read(columns=[name])[name].to_pylist()


def _bodies(paths: list[str], rows: list[tuple[int, int, str, str]]) -> Iterator[str]:
    """The bodies of these (sorted) rows, reading only the row groups that hold them (reused ids are rare)."""
    for file_index, group in groupby(rows, key=itemgetter(0)):
        for selected in iter_selected_rows(paths[file_index], [row for _, row, *_ in group], ["body"]):
            yield selected["body"]
