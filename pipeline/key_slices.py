"""Questions about equal keys (seen before? first of its kind?) answered a slice of the keys at a time.

A set of every key of a run grows with the run; a slice of them (a range of the keys' hash) does not. Dedup
at publishing and the site-chrome recount find each key's slice once (`rows_by_slice`), then answer a slice
at a time, reading only that slice's rows' keys and holding only those; the merge of the shards' block
counts (~30 rows a page) writes its rows out by slice once instead (pipeline.chrome_counts). Visiting every
row in every slice made the work grow with the square of the run, since the slices grow with it.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable


def slice_count(keys: int, per_slice: int) -> int:
    """How many slices hold `keys` keys about `per_slice` at most each: a power of two, so that a key's slice
    is its hash's low bits (`hash(key) & (slices - 1)`). Python's hash of a str differs between processes:
    a slicing must run in one process."""
    return 1 << (keys // per_slice).bit_length()


def rows_by_slice(keys_of_files: Iterable[Iterable[Hashable | None]], slices: int) -> list[list[array]]:
    """Per slice, per file (in the order given), the rows whose key falls in the slice, ascending; a row whose
    key is None falls in none. Holds 4 bytes a row, not the keys: `keys_of_files` may yield one file's at a
    time."""
    by_slice: list[list[array]] = [[] for _ in range(slices)]
    for keys in keys_of_files:
        rows = [array("I") for _ in range(slices)]
        for row, key in enumerate(keys):
            if key is not None:
                rows[hash(key) & (slices - 1)].append(row)
        for index in range(slices):
            by_slice[index].append(rows[index])
    return by_slice
