"""Dropping duplicates a slice of keys at a time decides exactly as one pass over every row in order."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.sink import dedup


def _in_one_pass(rows: list[list[tuple[str, str, str, str]]]) -> tuple[set, dict, dict]:
    """The rule as stated, every key in memory: dup of an earlier kept body, else a reused id, else kept."""
    kept_by_hash: dict[str, str] = {}
    ids: set[str] = set()
    dropped, duplicates, reused = set(), {}, {}
    for file_index, file_rows in enumerate(rows):
        for row, (doc_id, digest, source_file, body) in enumerate(file_rows):
            if digest in kept_by_hash:
                dropped.add((file_index, row))
                duplicates[doc_id if doc_id not in duplicates else f"{doc_id}#{row + 1}"] = (source_file,
                                                                                            kept_by_hash[digest])
            elif doc_id in ids:
                dropped.add((file_index, row))
                reused[doc_id if doc_id not in reused else f"{doc_id}#{row + 1}"] = (source_file, body)
            else:
                kept_by_hash[digest] = doc_id
            ids.add(doc_id)
    return dropped, duplicates, reused


@pytest.mark.parametrize("rows_per_slice", [1, 7, 100_000])
def test_slices_decide_as_one_pass(tmp_path, monkeypatch, rows_per_slice: int) -> None:
    monkeypatch.setattr(dedup, "ROWS_PER_SLICE", rows_per_slice)
    rng = random.Random(5)
    rows = []
    for file_index in range(3):
        # Few ids and bodies, so that duplicates, reused ids and both at once (a reused id's body later
        # repeated: not a duplicate, since the reused row was not kept) all occur.
        rows.append([(f"id{rng.randrange(12)}", f"h{(body := rng.randrange(15))}", f"f{file_index}.jsonl",
                      f"body {body}") for _ in range(40)])
    paths = []
    for file_index, file_rows in enumerate(rows):
        path = str(tmp_path / f"shard-{file_index:05d}.languages.parquet")
        columns = list(zip(*file_rows, strict=True))
        table = pa.table({name: list(values) for name, values in
                          zip(["doc_id", "content_hash", "source_file", "body"], columns, strict=True)})
        pq.write_table(table, path, row_group_size=9)
        paths.append(path)
    found = dedup.find_dropped(paths)
    dropped, duplicates, reused = _in_one_pass(rows)
    assert {(f, r) for f, bits in enumerate(found.rows) for r, bit in enumerate(bits) if bit} == dropped
    assert found.duplicates == duplicates and list(found.duplicates) == list(duplicates)
    assert found.reused == reused and list(found.reused) == list(reused)
    assert duplicates and reused
