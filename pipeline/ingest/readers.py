"""One reader per input kind, each turning a file into Pages, or Rejections with a reason code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from pipeline.ingest import archives, wet
from pipeline.ingest.documents import (  # noqa: F401 - make_page and source_of are this module's API too
    Document,
    Limits,
    Origin,
    jsonl_documents,
    make_page,
    over_shard_cap,
    source_of,
    text_documents,
    text_page,
)
from pipeline.ingest.files import InputFile
from pipeline.ingest.reading import FileDigest, finish, open_stream, read_whole
from pipeline.schema import Rejection

Reader = Callable[[InputFile, Limits, FileDigest], Iterator[Document]]


def _file_reader(documents: Callable[[BinaryIO, Origin, Limits], Iterator[Document]]) -> Reader:
    """A reader of whole files (or of a planned range of one) from a parser of one (possibly gzipped) stream."""

    def read(input_file: InputFile, limits: Limits, digest: FileDigest) -> Iterator[Document]:
        raw, stream = open_stream(input_file.path, input_file.start, input_file.end)
        try:
            yield from documents(stream, Origin.of(input_file), limits)
        finally:
            finish(raw, digest)
            stream.close()
            if digest.sha256 and input_file.sha256:
                digest.sha256 = input_file.sha256  # a range: the whole file's, hashed at planning

    read.__doc__ = documents.__doc__
    return read


_streamed_text = _file_reader(text_documents)


def read_text(input_file: InputFile, limits: Limits, digest: FileDigest) -> Iterator[Document]:
    """A text dump is one page, named by its file; a plain one under the page cap is read in one call."""
    if input_file.path.lower().endswith(".gz") or input_file.start or input_file.end >= 0:
        yield from _streamed_text(input_file, limits, digest)
        return
    data = read_whole(input_file.path, limits.max_page_bytes, digest)
    if data is None:
        yield from _streamed_text(input_file, limits, digest)
        return
    cap = limits.max_page_bytes
    yield text_page(data[:cap], len(data) > cap, Origin.of(input_file), limits)  # the verdicts of a stream

read_jsonl = _file_reader(jsonl_documents)
read_wet = _file_reader(wet.wet_documents)

# The reader of each kind of `files.KIND_BY_SUFFIX`.
READERS: dict[str, Reader] = {
    "text": read_text,
    "jsonl": read_jsonl,
    "wet": read_wet,
    "zip": archives.read_zip,
    "tar": archives.read_tar,
}


def read_documents(input_file: InputFile, limits: Limits | int, digest: FileDigest) -> Iterator[Document]:
    """Every document of one file; an unreadable file becomes one Rejection, never an exception.

    `limits` may be just the page cap, in bytes."""
    if isinstance(limits, int):
        limits = Limits(limits)
    reader = READERS[input_file.kind]
    try:
        yield from reader(input_file, limits, digest)
    except OSError as exc:
        yield Rejection(input_file.relative, input_file.relative, "ingest", "unreadable",
                        f"{input_file.relative}: {exc.strerror or exc}", b"")
