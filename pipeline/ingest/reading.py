"""Open input files as streams that checksum what they read, transparently gunzipping."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import zlib
from dataclasses import dataclass

_CHUNK = 1 << 20
# The first read of a page: most pages fit.
_FIRST_READ = 1 << 16


@dataclass(slots=True)
class FileDigest:
    """What the manifest records of one input file."""

    bytes_read: int = 0
    sha256: str = ""


class ChecksummingReader(io.RawIOBase):
    """A raw stream that hashes every byte passing through, so checksums cost no second read.

    `length` >= 0 ends the stream after that many bytes: a shard of a split file reads its range only."""

    def __init__(self, raw: io.BufferedIOBase, length: int = -1) -> None:
        self._raw = raw
        self._left = length
        self._hash = hashlib.sha256()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def _read(self, size: int) -> bytes:
        if self._left >= 0:
            size = min(size, self._left)
            if not size:
                return b""
        data = self._raw.read(size)
        self._hash.update(data)
        self.bytes_read += len(data)
        if self._left >= 0:
            self._left -= len(data)
        return data

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n

    def finish(self) -> FileDigest:
        """Drain what is left so the checksum covers the whole file (or range)."""
        while self._read(_CHUNK):
            pass
        return FileDigest(self.bytes_read, self._hash.hexdigest())

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_stream(path: str, start: int = 0, end: int = -1) -> tuple[ChecksummingReader, io.BufferedIOBase]:
    """The checksumming raw reader and the decompressed stream to read documents from; `start`/`end`
    (end < 0: the file's end) bound the bytes read, for a range of a split plain file."""
    handle = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if start:
        handle.seek(start)
    raw = ChecksummingReader(handle, end - start if end >= 0 else -1)  # type: ignore[arg-type]
    buffered = io.BufferedReader(raw, buffer_size=_CHUNK)
    if path.lower().endswith(".gz"):
        return raw, gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[return-value]
    return raw, buffered


def finish(raw: ChecksummingReader, digest: FileDigest) -> None:
    """Complete `digest` with the whole file's size and checksum (left empty if the file cannot be read)."""
    try:
        done = raw.finish()
    except OSError:
        return
    digest.bytes_read, digest.sha256 = done.bytes_read, done.sha256


def digest_file(path: str, digest: FileDigest) -> None:
    """The same for a file read by other means (a zip archive is read by seeking, not as a stream)."""
    try:
        with open(path, "rb") as handle:
            finish(ChecksummingReader(handle), digest)  # type: ignore[arg-type]
    except OSError:
        return


def read_whole(path: str, cap: int, digest: FileDigest) -> bytes | None:
    """A plain file of at most `cap` bytes, read in one call and hashed into `digest`; None (nothing read)
    when the file is bigger, to be streamed instead. A file that grew past the cap since is returned whole.

    Most inputs are one-page files of a few KB: the streaming path's layers (a checksumming raw stream in
    Python, a 1 MB buffer, reads in growing chunks) cost more per file than the page's bytes, and a file object
    (`open`, `readall`: a second read to find the end) cost ~7 us a page over the system calls alone."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(descriptor).st_size
        if size > cap:
            return None
        data = os.read(descriptor, size + 1)  # a regular file reads short only at its end
        if len(data) > size:  # it grew since: read to its end, as a stream would
            chunks = [data]
            while chunk := os.read(descriptor, _CHUNK):
                chunks.append(chunk)
            data = b"".join(chunks)
    finally:
        os.close(descriptor)
    digest.bytes_read, digest.sha256 = len(data), hashlib.sha256(data).hexdigest()
    return data


def read_capped(stream: io.BufferedIOBase, cap: int) -> tuple[bytes, bool]:
    """Up to `cap` bytes, and whether the stream held more (never holding more than cap+1 in memory).

    Read in growing chunks: one `read(cap + 1)` has the buffered reader allocate cap+1 bytes (8 MB by
    default) for every page, most of them a few KB; that allocation cost more than reading the page.
    """
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        chunk = stream.read(min(cap + 1 - size, max(_FIRST_READ, size)))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    if size > cap:
        return data[:cap], True
    return data, False


COMPRESSION_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def compression_reason(exc: BaseException) -> str:
    """The quarantine code of a compression error: a stream cut short, or one that never was gzip."""
    return "truncated_gzip" if isinstance(exc, EOFError) else "bad_gzip"
