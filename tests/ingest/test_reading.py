"""Pages are read whole up to the cap, in chunks or in one call: the same bytes, digest and verdict at every size."""

from __future__ import annotations

import gzip
import io
import os
from hashlib import sha256

import pytest

from pipeline.ingest.files import InputFile
from pipeline.ingest.readers import read_documents
from pipeline.ingest.reading import FileDigest, finish, open_stream, read_capped, read_whole


@pytest.mark.parametrize("size", [0, 1, 5_000, 65_535, 65_536, 65_537, 200_000, 300_000])
@pytest.mark.parametrize("cap", [1, 4_999, 5_000, 65_536, 150_000, 8 * 1024 * 1024])
def test_read_capped_keeps_the_bytes_and_says_whether_more_followed(size: int, cap: int) -> None:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    for stream in (io.BufferedReader(io.BytesIO(payload)), gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(payload)))):
        data, over = read_capped(stream, cap)
        assert over == (size > cap)
        assert data == payload[:cap]


@pytest.mark.parametrize("size", [0, 5_000, 65_536, 200_000])
def test_a_page_file_under_the_cap_is_read_whole_and_hashed(tmp_path, size: int) -> None:
    """The one-call read of a plain page file gives the bytes and the digest the streaming reader gives."""
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path = tmp_path / "page.txt"
    path.write_bytes(payload)
    digest = FileDigest()
    assert read_whole(str(path), 200_000, digest) == payload
    raw, stream = open_stream(str(path))
    streamed = FileDigest()
    finish(raw, streamed)
    stream.close()
    assert (digest.bytes_read, digest.sha256) == (streamed.bytes_read, streamed.sha256)
    assert (digest.bytes_read, digest.sha256) == (size, sha256(payload).hexdigest())
    if size:
        over = FileDigest()
        assert read_whole(str(path), size - 1, over) is None
        assert over == FileDigest()  # nothing read: the streaming reader takes over


def test_page_files_over_the_cap_or_gzipped_are_quarantined_or_read_as_before(tmp_path) -> None:
    page = b"Der Gemeinderat hat am Dienstag den Haushalt beschlossen.\n\nMenu\n"
    (tmp_path / "big.txt").write_bytes(page * 100)
    (tmp_path / "small.txt").write_bytes(page)
    (tmp_path / "small.txt.gz").write_bytes(gzip.compress(page))
    cap = len(page) * 10
    documents = {}
    for name in ("big.txt", "small.txt", "small.txt.gz"):
        path = tmp_path / name
        input_file = InputFile(str(path), str(tmp_path), name, path.stat().st_size, "text")
        digest = FileDigest()
        [documents[name]] = read_documents(input_file, cap, digest)
        assert (digest.bytes_read, digest.sha256) == (path.stat().st_size, sha256(path.read_bytes()).hexdigest())
    assert documents["big.txt"].reason == "too_large" and documents["big.txt"].raw == (page * 100)[:cap]
    assert documents["small.txt"].text == documents["small.txt.gz"].text
    assert documents["small.txt"].text.split("\n\n") == ["Der Gemeinderat hat am Dienstag den Haushalt beschlossen.",
                                                          "Menu"]


def test_a_page_file_that_grew_after_its_size_was_taken_is_read_to_its_end(tmp_path, monkeypatch) -> None:
    payload = bytes(range(256)) * 40
    path = tmp_path / "page.txt"
    path.write_bytes(payload)
    real_fstat = os.fstat

    class Smaller:
        st_size = len(payload) - 1000  # what fstat said before the writer appended the rest

    monkeypatch.setattr(os, "fstat", lambda descriptor: Smaller if descriptor > 2 else real_fstat(descriptor))
    digest = FileDigest()
    assert read_whole(str(path), len(payload), digest) == payload
    assert (digest.bytes_read, digest.sha256) == (len(payload), sha256(payload).hexdigest())
