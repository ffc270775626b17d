"""Archives of page dumps: `.zip`, `.tar`, `.tar.gz`/`.tgz`, read member by member.

Members named like page dumps (`.txt`, `.txt.gz`, `.jsonl`, `.jsonl.gz`) are read as such, with doc ids
`archive!member` (JSONL lines: `archive!member:line` unless the record has an id); other members are
not documents and are skipped, like unknown files in a folder. Nothing is ever extracted to disk, but a
member that would be unsafe to extract is still refused with its own reason, for a human to look at:
`archive_path_traversal` (`..` in its path), `archive_absolute_path`, `archive_link` (symlink or
hardlink), `archive_special_member` (device, FIFO). An archive that expands past the limits
(`archive_bomb`) is not read further. A tar is read as a stream (mode `r|*`), never seeking; a zip
needs its central directory, then each member is read as a stream of its own.
"""

from __future__ import annotations

import gzip
import io
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO

from pipeline.ingest.documents import Document, Limits, Origin, jsonl_documents, text_documents
from pipeline.ingest.files import MEMBER_KINDS, InputFile, kind_of
from pipeline.ingest.reading import ChecksummingReader, FileDigest, digest_file, finish

# The expansion ratio is judged only past this many expanded bytes: small archives of repetitive text
# compress well and are no threat.
ARCHIVE_RATIO_FLOOR = 16 * 1024 * 1024

_PARSERS: dict[str, Callable[[BinaryIO, Origin, Limits], Iterator[Document]]] = {
    "text": text_documents,
    "jsonl": jsonl_documents,
}
_ARCHIVE_ERRORS = (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, gzip.BadGzipFile, ValueError,
                   NotImplementedError, RuntimeError)


class ArchiveBomb(Exception):
    """The archive expanded past a limit."""


class _Budget:
    """Expanded bytes of one archive so far, against its limits; `compressed` says how many bytes of the
    archive file have been consumed to produce them."""

    def __init__(self, limits: Limits, compressed: Callable[[], int]) -> None:
        self.limits = limits
        self.expanded = 0
        self._compressed = compressed

    def spend(self, n: int) -> None:
        self.expanded += n
        if self.expanded > self.limits.max_archive_bytes:
            raise ArchiveBomb(f"expands to more than {self.limits.max_archive_bytes} bytes")
        if self.expanded > ARCHIVE_RATIO_FLOOR:
            ratio = self.expanded / max(self._compressed(), 1)
            if ratio > self.limits.max_archive_ratio:
                raise ArchiveBomb(f"expands {ratio:.0f} times its compressed size (limit "
                                  f"{self.limits.max_archive_ratio})")


class ArchiveReadError(Exception):
    """Reading the archive itself failed under a member (its own decompression, a cut-off file); raised
    instead of the original error so that the member's parser does not take it for the member's fault."""


class _Metered(io.RawIOBase):
    """A decompressed stream that charges every byte to the archive's budget (if given), and, for the
    archive's own member streams, turns read errors into ArchiveReadError."""

    def __init__(self, stream: BinaryIO, budget: _Budget | None, *, archive_errors: bool = False) -> None:
        self._stream = stream
        self._budget = budget
        self._archive_errors = archive_errors

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self._stream.read(len(buffer))
        except _ARCHIVE_ERRORS as exc:
            if not self._archive_errors:
                raise
            raise ArchiveReadError(str(exc) or type(exc).__name__) from exc
        if self._budget is not None:
            self._budget.spend(len(data))
        buffer[: len(data)] = data
        return len(data)


def unsafe_member(name: str, *, link: bool, special: bool) -> tuple[str, str] | None:
    """(reason, why) for a member that would be unsafe to extract, else None."""
    path = name.replace("\\", "/")
    if link:
        return "archive_link", "is a symbolic or hard link"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "archive_absolute_path", "has an absolute path"
    if ".." in path.split("/"):
        return "archive_path_traversal", "has '..' in its path (would escape the extraction folder)"
    if special:
        return "archive_special_member", "is a device or FIFO, not a file"
    return None


def _member_documents(stream: BinaryIO, name: str, origin: Origin, limits: Limits, budget: _Budget, *,
                      metered: bool) -> Iterator[Document]:
    """The documents of one member. Its expanded bytes are charged to the archive's budget: those of
    the member (unless `metered` says the archive's stream is charged already) and, for a `.gz`
    member, those it decompresses to."""
    member_stream: BinaryIO = io.BufferedReader(_Metered(stream, None if metered else budget, archive_errors=True))
    if name.lower().endswith(".gz"):
        member_stream = io.BufferedReader(_Metered(gzip.GzipFile(fileobj=member_stream, mode="rb"), budget))
    yield from _PARSERS[kind_of(name) or "text"](member_stream, origin.member(name), limits)


def _archive_failure(origin: Origin, position: int, last: str | None, exc: BaseException) -> Document:
    after = f"past member {last!r}" if last else "before its first member"
    message = str(exc) or type(exc).__name__
    cause = exc.__cause__ or exc
    truncated = isinstance(cause, EOFError) or "unexpected end" in message or "ended before" in message
    reason = "truncated_archive" if truncated else "bad_archive"
    return origin.reject(f"{origin.name}!#{position}", reason,
                         f"{origin.name}: cannot read the archive {after}: {message}; members before it were kept")


def _bomb(origin: Origin, name: str, exc: ArchiveBomb) -> Document:
    return origin.reject(f"{origin.name}!{name}", "archive_bomb",
                         f"{origin.name}!{name}: the archive {exc}; it is not read further")


def read_tar(input_file: InputFile, limits: Limits, digest: FileDigest) -> Iterator[Document]:
    """Every page of a tar archive, compressed or not, read as one forward stream."""
    origin = Origin.of(input_file)
    raw = ChecksummingReader(open(input_file.path, "rb"))  # noqa: SIM115 - closed below
    budget = _Budget(limits, lambda: raw.bytes_read)
    position, last = 0, None
    try:
        buffered = io.BufferedReader(raw)
        stream: BinaryIO = buffered
        if buffered.peek(2)[:2] == b"\x1f\x8b":
            stream = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        # Every byte the tar expands to is charged, also those of members skipped unread.
        with tarfile.open(fileobj=io.BufferedReader(_Metered(stream, budget)), mode="r|") as archive:
            for member in archive:
                position += 1
                if member.isdir():
                    continue
                name = member.name
                unsafe = unsafe_member(name, link=member.issym() or member.islnk(),
                                       special=not member.isfile())
                last = name
                if unsafe:
                    reason, why = unsafe
                    yield origin.reject(f"{origin.name}!{name}", reason, f"{origin.name}!{name}: member {why}; "
                                        "not read")
                    continue
                if kind_of(name) not in MEMBER_KINDS:
                    continue
                member_stream = archive.extractfile(member)
                if member_stream is None:
                    continue
                try:
                    yield from _member_documents(member_stream, name, origin, limits, budget, metered=True)
                except ArchiveBomb as exc:
                    yield _bomb(origin, name, exc)
                    return
    except ArchiveBomb as exc:  # while skipping or reading headers
        yield _bomb(origin, last or "#header", exc)
    except (*_ARCHIVE_ERRORS, ArchiveReadError) as exc:
        yield _archive_failure(origin, position, last, exc)
    finally:
        finish(raw, digest)
        raw.close()


def read_zip(input_file: InputFile, limits: Limits, digest: FileDigest) -> Iterator[Document]:
    """Every page of a zip archive, member by member (the central directory is read first)."""
    origin = Origin.of(input_file)
    compressed = 0
    budget = _Budget(limits, lambda: compressed)
    position, last = 0, None
    try:
        with zipfile.ZipFile(input_file.path) as archive:
            for info in archive.infolist():
                position += 1
                if info.is_dir():
                    continue
                name = info.filename
                mode = info.external_attr >> 16
                file_type = stat.S_IFMT(mode)  # 0 when the zip was made without Unix modes
                unsafe = unsafe_member(name, link=file_type == stat.S_IFLNK,
                                       special=file_type not in (0, stat.S_IFREG, stat.S_IFDIR, stat.S_IFLNK))
                last = name
                if unsafe:
                    reason, why = unsafe
                    yield origin.reject(f"{origin.name}!{name}", reason, f"{origin.name}!{name}: member {why}; "
                                        "not read")
                    continue
                if kind_of(name) not in MEMBER_KINDS:
                    continue
                compressed += info.compress_size
                try:
                    with archive.open(info) as stream:
                        yield from _member_documents(stream, name, origin, limits, budget, metered=False)
                except ArchiveBomb as exc:
                    yield _bomb(origin, name, exc)
                    return
                except (*_ARCHIVE_ERRORS, ArchiveReadError) as exc:  # this member only: the directory lists the rest
                    yield origin.reject(f"{origin.name}!{name}", "bad_archive_member",
                                        f"{origin.name}!{name}: {exc or type(exc).__name__}")
    except _ARCHIVE_ERRORS as exc:
        yield _archive_failure(origin, position, last, exc)
    finally:
        digest_file(input_file.path, digest)
