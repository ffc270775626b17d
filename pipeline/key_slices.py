"""Questions about equal keys (seen before? first of its kind?) answered a slice of the keys at a time.

A set of every key of a run grows with the run; a slice of them (a range of the keys' hash) does not. Each
slicing reads its keys once per slice and holds only that slice's: dedup at publishing, the site-chrome
recount, the merge of the shards' block counts.
"""

from __future__ import annotations


def slice_count(keys: int, per_slice: int) -> int:
    """How many slices hold `keys` keys about `per_slice` at most each: a power of two, so that a key's slice
    is its hash's low bits (`hash(key) & (slices - 1)`). Python's hash of a str differs between processes:
    a slicing must run in one process."""
    return 1 << (keys // per_slice).bit_length()
