"""Pages are read whole up to the cap, in chunks: the same bytes and the same verdict at every size."""

from __future__ import annotations

import gzip
import io

import pytest

from pipeline.ingest.reading import read_capped


@pytest.mark.parametrize("size", [0, 1, 5_000, 65_535, 65_536, 65_537, 200_000, 300_000])
@pytest.mark.parametrize("cap", [1, 4_999, 5_000, 65_536, 150_000, 8 * 1024 * 1024])
def test_read_capped_keeps_the_bytes_and_says_whether_more_followed(size: int, cap: int) -> None:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    for stream in (io.BufferedReader(io.BytesIO(payload)), gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(payload)))):
        data, over = read_capped(stream, cap)
        assert over == (size > cap)
        assert data == payload[:cap]
