"""Common Crawl WET files: one page per `conversion` record, parsed from the plain WARC format.

A WARC record is a version line (`WARC/1.0`), `Name: value` header lines, a blank line, exactly
`Content-Length` bytes of content, and a blank line. WET files hold a `warcinfo` record and then one
`conversion` record (the page's extracted text) per page; `.warc.wet.gz` is one gzip member per record,
which the gzip stream reads as one. The format is simple enough that a library would add a dependency
and no safety: here every header line and every record is read under a cap.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from pipeline.ingest.documents import Document, Limits, Origin, make_page, too_large
from pipeline.ingest.reading import COMPRESSION_ERRORS, compression_reason

MAX_HEADER_LINE = 64 * 1024
MAX_HEADER_LINES = 256
_CHUNK = 1 << 20


class WarcFormatError(ValueError):
    """The file stops being WARC here: the rest of it cannot be read."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def wet_documents(stream: BinaryIO, origin: Origin, limits: Limits) -> Iterator[Document]:
    """Pages of `conversion` records: doc id the WARC-Record-ID (without <>), url the WARC-Target-URI.
    Other record types (warcinfo, request, ...) are not pages and are skipped."""
    record = 0
    try:
        while True:
            headers = _read_headers(stream, origin, record + 1)
            if headers is None:
                return
            record += 1
            location = f"{origin.name} record {record}"
            length = _content_length(headers, location)
            if headers.get("warc-type") != "conversion":
                _skip(stream, length, location)
                continue
            doc_id = headers.get("warc-record-id", "").strip().strip("<>") or f"{origin.name}#{record}"
            if length > limits.max_page_bytes:
                sample = stream.read(min(length, limits.max_page_bytes))
                _skip(stream, length - len(sample), location)
                yield too_large(doc_id, origin, f"{location}: page of {length} bytes exceeds the cap of "
                                f"{limits.max_page_bytes} bytes", sample)
                continue
            content = stream.read(length)
            if len(content) < length:
                yield origin.reject(doc_id, "truncated_warc", f"{location}: file ends {length - len(content)} bytes "
                                    "into the record's content; records before it were kept", content)
                return
            yield make_page(doc_id, origin, content, url=headers.get("warc-target-uri") or None,
                            location=f"{location} ({doc_id})")
    except WarcFormatError as exc:
        yield origin.reject(f"{origin.name}#{record + 1}", exc.reason, str(exc))
    except COMPRESSION_ERRORS as exc:
        yield origin.reject(f"{origin.name}#{record + 1}", compression_reason(exc),
                            f"{origin.name} record {record + 1}: {exc}; records before it were kept")


def _read_headers(stream: BinaryIO, origin: Origin, record: int) -> dict[str, str] | None:
    """The next record's headers, lower-cased names; None at the clean end of the file."""
    location = f"{origin.name} record {record}"
    line = stream.readline(MAX_HEADER_LINE)
    while line in (b"\r\n", b"\n"):  # the blank lines closing the previous record
        line = stream.readline(MAX_HEADER_LINE)
    if not line:
        return None
    if not line.startswith(b"WARC/"):
        raise WarcFormatError("bad_warc", f"{location}: expected a 'WARC/1.x' line, found {line[:60]!r}; "
                              "the rest of the file is not read")
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADER_LINES):
        line = stream.readline(MAX_HEADER_LINE)
        if not line:
            raise WarcFormatError("truncated_warc", f"{location}: file ends inside the record's headers")
        if line in (b"\r\n", b"\n"):
            return headers
        name, colon, value = line.decode("utf-8", errors="replace").partition(":")
        if not colon or not line.endswith(b"\n"):
            raise WarcFormatError("bad_warc", f"{location}: not a header line: {line[:60]!r}; "
                                  "the rest of the file is not read")
        headers[name.strip().lower()] = value.strip()
    raise WarcFormatError("bad_warc", f"{location}: more than {MAX_HEADER_LINES} header lines")


def _content_length(headers: dict[str, str], location: str) -> int:
    try:
        length = int(headers["content-length"])
    except (KeyError, ValueError):
        raise WarcFormatError("bad_warc", f"{location}: no valid Content-Length header; "
                              "the rest of the file is not read") from None
    if length < 0:
        raise WarcFormatError("bad_warc", f"{location}: negative Content-Length")
    return length


def _skip(stream: BinaryIO, length: int, location: str) -> None:
    while length > 0:
        chunk = stream.read(min(length, _CHUNK))
        if not chunk:
            raise WarcFormatError("truncated_warc", f"{location}: file ends inside the record's content")
        length -= len(chunk)
