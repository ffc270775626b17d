"""The shards' site-chrome block counts merged into the run's, a slice of fingerprints at a time, each row
read once.

Merged at once, every block count of the run goes through one hash aggregation in the main process, whose
memory the allocator keeps: +70 MB RSS on 20,000 pages, several hundred MB on 200,000. Blocks merge
independently, so the counts are merged a slice of fingerprints (their low bits) at a time. Filtering every
shard's counts for each slice read them all once per slice: the slices grow with the run, so the merge
grew with its square (a 2 GB dump: ~10 million count rows, 128 slices, ~2 minutes while the workers
idled). Instead, each shard's counts are read once and written to a local scratch file in slice order,
one record batch per slice, and each slice's merge reads its batch of every such file.
"""

from __future__ import annotations

import os
import tempfile
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean import site_chrome
from pipeline.key_slices import slice_count
from pipeline.sink.parquet import open_parquet

# Count rows merged at a time.
ROWS_PER_SLICE = 100_000
# The scratch files hold every count row of the run once (~10 million on a 2 GB dump): compressed, about half.
SCRATCH_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")


def merge_shard_counts(count_files: list[str], correction: pa.Table) -> pa.Table:
    """site_chrome.merge_counts of the shards' count files and the correction, without the blocks whose
    count sums to zero (only copies the correction uncounted had them). Rows come slice by slice, in no
    order a reader may depend on."""
    rows = sum(open_parquet(path).metadata.num_rows for path in count_files) + correction.num_rows
    slices = slice_count(rows, ROWS_PER_SLICE)
    if slices == 1:
        return _merged_slice([open_parquet(path).read() for path in count_files] + [correction])
    with tempfile.TemporaryDirectory(prefix="newsetl-chrome-counts-") as scratch:
        page_counts: list[pa.Table] = []
        bucketed: list[str] = []
        tables = chain((open_parquet(path).read() for path in count_files), [correction])
        for position, counts in enumerate(tables):
            page_counts.append(counts.filter(pc.equal(counts["fingerprint"], site_chrome.PAGE_COUNT_KEY)))
            bucketed.append(_write_by_slice(counts, slices, os.path.join(scratch, f"{position}.arrow")))
            del counts  # one shard's counts held at a time
        # Every slice's merge needs every source's page count (merge_counts keeps single sightings on small
        # sites only): the first slice holds them (PAGE_COUNT_KEY is 0), the others get a copy they drop after.
        pages = pa.concat_tables(page_counts)
        merged = []
        for index in range(slices):
            if index:
                part = _merged_slice([*_slice_of(bucketed, index), pages])
                part = part.filter(pc.not_equal(part["fingerprint"], site_chrome.PAGE_COUNT_KEY))
            else:
                part = _merged_slice(_slice_of(bucketed, index))
            merged.append(part)
            # Arrow's allocator would keep what the aggregation freed, slice after slice, for the rest of
            # the process's life: hand it back.
            pa.default_memory_pool().release_unused()
    return pa.concat_tables(merged)


def _merged_slice(tables: list[pa.Table]) -> pa.Table:
    part = site_chrome.merge_counts(tables)
    return part.filter(pc.greater(part["pages"], 0))


def _write_by_slice(counts: pa.Table, slices: int, path: str) -> str:
    """Write `counts` to an Arrow IPC file as `slices` record batches, batch i holding the rows of slice i
    (empty where none), so that a slice's rows are read without the others'."""
    schema = site_chrome.COUNTS_SCHEMA
    counts = counts.select(schema.names).cast(schema).combine_chunks()
    if not counts.num_rows:
        batch = pa.RecordBatch.from_pylist([], schema=schema)
        sizes = np.zeros(slices, dtype=np.int64)
    else:
        slice_of = pc.bit_wise_and(counts["fingerprint"], slices - 1)
        sizes = np.bincount(slice_of.to_numpy(), minlength=slices)
        batch = counts.to_batches()[0].take(pc.sort_indices(slice_of))
    del counts
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, schema, options=SCRATCH_OPTIONS) as writer:
        start = 0
        for size in sizes.tolist():
            writer.write_batch(batch.slice(start, size))
            start += size
    del batch
    pa.default_memory_pool().release_unused()
    return path


def _slice_of(bucketed: list[str], index: int) -> list[pa.Table]:
    """Slice `index`'s rows of every bucketed file (read, not memory-mapped: mapped pages touched would stay
    in the process's RSS)."""
    tables = []
    for path in bucketed:
        with pa.OSFile(path, "rb") as source:
            tables.append(pa.Table.from_batches([pa.ipc.open_file(source).get_batch(index)]))
    return tables
