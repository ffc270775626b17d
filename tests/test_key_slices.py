"""Rows grouped by the slice of their key: every keyed row in exactly its key's slice, in order."""

from __future__ import annotations

from pipeline.key_slices import rows_by_slice, slice_count


def test_every_keyed_row_is_in_its_keys_slice_once_in_order() -> None:
    files = [[f"k{n % 7}" if n % 5 else None for n in range(40)], [], ["k1", "k3", None, "k1"]]
    slices = slice_count(sum(map(len, files)), 4)
    assert slices > 1
    by_slice = rows_by_slice(iter(files), slices)
    assert len(by_slice) == slices and all(len(per_file) == len(files) for per_file in by_slice)
    for file_index, keys in enumerate(files):
        placed = sorted(row for per_file in by_slice for row in per_file[file_index])
        assert placed == [row for row, key in enumerate(keys) if key is not None]
        for index, per_file in enumerate(by_slice):
            rows = list(per_file[file_index])
            assert rows == sorted(rows)
            assert all(hash(keys[row]) & (slices - 1) == index for row in rows)
