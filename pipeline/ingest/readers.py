"""One reader per input kind, each turning a file into Pages, or Rejections with a reason code."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from pipeline.clean.normalize import normalize_page
from pipeline.ingest.decode import UndecodableError, decode_bytes
from pipeline.ingest.files import InputFile
from pipeline.ingest.reading import COMPRESSION_ERRORS, FileDigest, drain, open_stream, read_capped
from pipeline.schema import Page, Rejection

# How much of an oversized input is kept in the quarantine, for a human to look at.
RAW_SAMPLE_BYTES = 64 * 1024

Document = Page | Rejection
Reader = Callable[[InputFile, int], Iterator[Document]]


def source_of(url: str | None, input_file: InputFile) -> str:
    """The site a page belongs to: its URL's host, else the folder holding the file."""
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    folder = os.path.dirname(input_file.relative)
    return os.path.basename(folder) if folder else os.path.basename(input_file.root.rstrip("/")) or "unknown"


def make_page(doc_id: str, input_file: InputFile, data: bytes | str, *, url: str | None = None,
              title: str | None = None, published: str | None = None) -> Document:
    """Decode and normalize one document's text; reject it when nothing readable remains."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw:
        return Rejection(doc_id, input_file.relative, "ingest", "empty", f"{input_file.relative}: empty document", raw)
    try:
        decoded = decode_bytes(raw) if isinstance(data, bytes) else None
    except UndecodableError as exc:
        return Rejection(doc_id, input_file.relative, "ingest", exc.reason, f"{input_file.relative}: {exc.detail}", raw)
    text = decoded.text if decoded else str(data)
    normalized = normalize_page(text)
    if not normalized:
        return Rejection(doc_id, input_file.relative, "ingest", "whitespace_only",
                         f"{input_file.relative}: document holds only whitespace or invisible characters", raw)
    return Page(
        doc_id=doc_id,
        source=source_of(url, input_file),
        source_file=input_file.relative,
        text=normalized,
        url=url,
        title_hint=title,
        published_hint=published,
        input_encoding=decoded.encoding if decoded else "utf-8",
        repairs=decoded.repairs if decoded else [],
    )


def read_text(input_file: InputFile, max_page_bytes: int, digest: FileDigest) -> Iterator[Document]:
    """A `.txt` or `.txt.gz` file is one page."""
    doc_id = input_file.relative
    raw, stream = open_stream(input_file.path)
    try:
        data, over = read_capped(stream, max_page_bytes)
        if over:
            size = len(data) + drain(stream)
            yield Rejection(doc_id, doc_id, "ingest", "too_large",
                            f"{doc_id}: page of {size} bytes exceeds the cap of {max_page_bytes} bytes",
                            data[:RAW_SAMPLE_BYTES])
        else:
            yield make_page(doc_id, input_file, data)
    except COMPRESSION_ERRORS as exc:
        yield Rejection(doc_id, doc_id, "ingest", _compression_reason(exc), f"{doc_id}: {exc}", b"")
    finally:
        _finish(raw, digest)
        stream.close()


def read_jsonl(input_file: InputFile, max_page_bytes: int, digest: FileDigest) -> Iterator[Document]:
    """A `.jsonl` or `.jsonl.gz` file is one page per line: `text` required, `id`/`url`/`title`/`published_at` used."""
    raw, stream = open_stream(input_file.path)
    line_number = 0
    try:
        while True:
            line, over = _read_line(stream, max_page_bytes)
            if line is None:
                break
            line_number += 1
            location = f"{input_file.relative}:{line_number}"
            if over:
                yield Rejection(location, input_file.relative, "ingest", "too_large",
                                f"{location}: line exceeds the cap of {max_page_bytes} bytes", line[:RAW_SAMPLE_BYTES])
                continue
            if not line.strip():
                continue
            yield _jsonl_document(line, location, input_file)
    except COMPRESSION_ERRORS as exc:
        location = f"{input_file.relative}:{line_number + 1}"
        yield Rejection(location, input_file.relative, "ingest", _compression_reason(exc),
                        f"{location}: {exc}; lines before it were kept", b"")
    finally:
        _finish(raw, digest)
        stream.close()


def _jsonl_document(line: bytes, location: str, input_file: InputFile) -> Document:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Rejection(location, input_file.relative, "ingest", "invalid_json", f"{location}: not JSON ({exc})", line)
    if not isinstance(record, dict):
        return Rejection(location, input_file.relative, "ingest", "invalid_json",
                         f"{location}: a JSON {type(record).__name__}, not an object", line)
    if "text" not in record:
        return Rejection(location, input_file.relative, "ingest", "missing_text", f"{location}: no 'text' field", line)
    text = record["text"]
    if not isinstance(text, str):
        return Rejection(location, input_file.relative, "ingest", "bad_text_type",
                         f"{location}: 'text' is a {type(text).__name__}, not a string", line)
    doc_id = str(record["id"]) if record.get("id") not in (None, "") else location
    page = make_page(doc_id, input_file, text, url=_optional_str(record.get("url")),
                     title=_optional_str(record.get("title")), published=_optional_str(record.get("published_at")))
    if isinstance(page, Rejection):
        page.raw = line
    return page


def _read_line(stream, cap: int) -> tuple[bytes | None, bool]:
    """One line of at most `cap` bytes; a longer line is skipped through to its end, not held."""
    line = stream.readline(cap + 1)
    if not line:
        return None, False
    if len(line) <= cap or line.endswith(b"\n"):
        return line, False
    head = line
    while True:
        rest = stream.readline(1 << 20)
        if not rest or rest.endswith(b"\n"):
            return head, True


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _compression_reason(exc: BaseException) -> str:
    return "truncated_gzip" if isinstance(exc, EOFError) else "bad_gzip"


def _finish(raw, digest: FileDigest) -> None:
    try:
        done = raw.finish()
    except OSError:
        return
    digest.bytes_read, digest.sha256 = done.bytes_read, done.sha256


READERS: dict[str, Callable[[InputFile, int, FileDigest], Iterator[Document]]] = {
    "text": read_text,
    "jsonl": read_jsonl,
}


def read_documents(input_file: InputFile, max_page_bytes: int, digest: FileDigest) -> Iterator[Document]:
    """Every document of one file; an unreadable file becomes one Rejection, never an exception."""
    reader = READERS[input_file.kind]
    try:
        yield from reader(input_file, max_page_bytes, digest)
    except OSError as exc:
        yield Rejection(input_file.relative, input_file.relative, "ingest", "unreadable",
                        f"{input_file.relative}: {exc.strerror or exc}", b"")
