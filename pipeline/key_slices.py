"""Questions about equal keys (seen before? first of its kind?) answered a slice of the keys at a time.

A set of every key of a run grows with the run; a slice of them (a range of the keys' hash) does not. Dedup
at publishing and the site-chrome recount read their keys once per slice and hold only that slice's; the
merge of the shards' block counts (~30 rows a page) writes them out by slice once instead
(pipeline.chrome_counts).
"""

from __future__ import annotations


def slice_count(keys: int, per_slice: int) -> int:
    """How many slices hold `keys` keys about `per_slice` at most each: a power of two, so that a key's slice
    is its hash's low bits (`hash(key) & (slices - 1)`). Python's hash of a str differs between processes:
    a slicing must run in one process."""
    return 1 << (keys // per_slice).bit_length()
