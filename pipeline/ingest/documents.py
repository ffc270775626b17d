"""Streams to documents: a Page per readable document, a Rejection (reason code, message naming the file) per
other one. The readers of every input kind share these."""

from __future__ import annotations

import hashlib
import json
import os
import re
from codecs import BOM_UTF8
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from pipeline.clean.normalize import normalized_page
from pipeline.clean.site_chrome import page_fingerprints
from pipeline.ingest.decode import Decoded, UndecodableError, decode_bytes
from pipeline.ingest.files import InputFile
from pipeline.ingest.reading import COMPRESSION_ERRORS, compression_reason, read_capped
from pipeline.schema import Page, Rejection

_SURROGATE = re.compile("[\ud800-\udfff]")
# How much of an oversized input is kept in the quarantine, for a human to look at.
RAW_SAMPLE_BYTES = 64 * 1024

Document = Page | Rejection


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps a reader enforces: a page over `max_page_bytes` is quarantined, never truncated; an archive
    stops (quarantined as `archive_bomb`) past `max_archive_bytes` expanded, or past `max_archive_ratio`
    times its compressed size once it has expanded to more than `ARCHIVE_RATIO_FLOOR` bytes."""

    max_page_bytes: int
    max_archive_bytes: int = 4 * 1024**3
    max_archive_ratio: int = 100


@dataclass(frozen=True, slots=True)
class Origin:
    """Where documents come from: the input file they are accounted to (`source_file`, the manifest's
    key), the name their ids build on (the file's relative path, or `archive!member`), and the folder
    naming the site of pages without a URL; and the number of the stream's first line (a range of a split
    JSONL file starts past line 1)."""

    source_file: str
    name: str
    folder: str
    first_line: int = 1

    @classmethod
    def of(cls, input_file: InputFile) -> Origin:
        folder = os.path.dirname(input_file.relative)
        site = os.path.basename(folder) if folder else os.path.basename(input_file.root.rstrip("/"))
        return cls(input_file.relative, input_file.relative, site or "unknown", input_file.first_line)

    def member(self, name: str) -> Origin:
        folder = os.path.basename(os.path.dirname(name))
        return Origin(self.source_file, f"{self.name}!{name}", folder or self.folder)

    def reject(self, doc_id: str, reason: str, detail: str, raw: bytes = b"") -> Rejection:
        return Rejection(doc_id, self.source_file, "ingest", reason, detail, raw)


def source_of(url: str | None, origin: Origin) -> str:
    """The site a page belongs to: its URL's host, else the folder holding the file."""
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return origin.folder


def make_page(doc_id: str, origin: Origin, data: bytes | str, *, url: str | None = None,
              title: str | None = None, published: str | None = None, location: str | None = None,
              repairs: list[str] | None = None) -> Document:
    """Decode and normalize one document's text; reject it when nothing readable remains.

    `location` (default: the doc id) is how messages name the document: it always includes the file.
    `repairs`: what was done to text given as a str before it came here (bytes are decoded here)."""
    location = location or doc_id
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw:
        return origin.reject(doc_id, "empty", f"{location}: empty document", raw)
    try:
        decoded = decode_bytes(raw) if isinstance(data, bytes) else None
    except UndecodableError as exc:
        return origin.reject(doc_id, exc.reason, f"{location}: {exc.detail}", raw)
    text = (decoded.text if decoded else str(data)).strip("\n")
    stored, blocks = normalized_page(text)  # the stored form: normalize_page
    if not blocks:
        return origin.reject(doc_id, "whitespace_only",
                             f"{location}: document holds only whitespace or invisible characters", raw)
    # A page stored as it came (the usual case) has the UTF-8 it was read in, but for newlines at its ends.
    encoded = raw.strip(b"\n") if stored is text and _read_as_utf8(raw, decoded) else stored.encode("utf-8")
    source = source_of(url, origin)
    return Page(
        doc_id=doc_id,
        source=source,
        source_file=origin.source_file,
        text=stored,
        url=url,
        title_hint=title,
        published_hint=published,
        input_encoding=decoded.encoding if decoded else "utf-8",
        repairs=decoded.repairs if decoded else list(repairs or []),
        fingerprints=page_fingerprints(blocks),
        text_key=text_key(source, encoded),
    )


def _read_as_utf8(raw: bytes, decoded: Decoded | None) -> bool:
    """Whether the page's text is `raw` decoded as UTF-8 with nothing removed (no BOM, no NUL, no repair); a
    str given (decoded None) was encoded into `raw`."""
    return decoded is None or (decoded.encoding == "utf-8" and not decoded.repairs and not raw.startswith(BOM_UTF8))


def text_key(source: str, encoded: bytes) -> str:
    """The identity of a page's (source, stored text), `encoded` the text's UTF-8, that ingestion counts a page's
    blocks once by: 128 bits of the SHA-256 of `source + "\n" + text`. Only keys of the same run are compared
    (pipeline.counted_pages); SHA-256 runs on the CPU's SHA extensions, ~2x faster than BLAKE2b here."""
    digest = hashlib.sha256(source.encode("utf-8"))
    digest.update(b"\n")
    digest.update(encoded)
    return digest.hexdigest()[:32]


def too_large(doc_id: str, origin: Origin, detail: str, sample: bytes) -> Rejection:
    return origin.reject(doc_id, "too_large", f"{doc_id}: {detail}", sample[:RAW_SAMPLE_BYTES])


def over_shard_cap(page: Page, cap: int) -> Rejection:
    """A page past the shard's document cap: quarantined whole (its text kept), not dropped."""
    return Rejection(page.doc_id, page.source_file, "ingest", "over_shard_cap",
                     f"{page.doc_id}: its shard already holds {cap} pages (max_docs_per_shard)",
                     page.text.encode("utf-8"))


def text_documents(stream: BinaryIO, origin: Origin, limits: Limits) -> Iterator[Document]:
    """A text dump is one page, named by its file (or archive member)."""
    try:
        data, over = read_capped(stream, limits.max_page_bytes)  # not drained: a gzipped page could expand without end
        yield text_page(data, over, origin, limits)
    except COMPRESSION_ERRORS as exc:
        yield origin.reject(origin.name, compression_reason(exc), f"{origin.name}: {exc}")


def text_page(data: bytes, over: bool, origin: Origin, limits: Limits) -> Document:
    """A text dump's page from its bytes up to the cap, `over` when the input held more."""
    if over:
        return too_large(origin.name, origin, f"page exceeds the cap of {limits.max_page_bytes} bytes", data)
    return make_page(origin.name, origin, data)


def jsonl_documents(stream: BinaryIO, origin: Origin, limits: Limits) -> Iterator[Document]:
    """One page per line: `text` required, `id`/`url`/`title`/`published_at` used; blank lines skipped."""
    line_number = origin.first_line - 1
    try:
        while True:
            line, over = _read_line(stream, limits.max_page_bytes)
            if line is None:
                break
            line_number += 1
            location = f"{origin.name}:{line_number}"
            if over:
                yield too_large(location, origin, f"line exceeds the cap of {limits.max_page_bytes} bytes", line)
                continue
            if not line.strip():
                continue
            yield _jsonl_document(line, location, origin)
    except COMPRESSION_ERRORS as exc:
        location = f"{origin.name}:{line_number + 1}"
        yield origin.reject(location, compression_reason(exc), f"{location}: {exc}; lines before it were kept")


def _jsonl_document(line: bytes, location: str, origin: Origin) -> Document:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return origin.reject(location, "invalid_json", f"{location}: not JSON ({exc})", line)
    if not isinstance(record, dict):
        return origin.reject(location, "invalid_json", f"{location}: a JSON {type(record).__name__}, not an object",
                             line)
    if "text" not in record:
        return origin.reject(location, "missing_text", f"{location}: no 'text' field", line)
    text = record["text"]
    if not isinstance(text, str):
        return origin.reject(location, "bad_text_type", f"{location}: 'text' is a {type(text).__name__}, not a string",
                             line)
    repairs: list[str] = []
    if b"\\ud" in line or b"\\uD" in line:  # a JSON escape of a UTF-16 surrogate: lone ones are not text
        record, replaced = _without_lone_surrogates(record)
        if replaced:
            text = record["text"]
            repairs.append(f"replaced {replaced} lone UTF-16 surrogates (JSON escapes) with U+FFFD")
    doc_id = str(record["id"]) if record.get("id") not in (None, "") else location
    page = make_page(doc_id, origin, text, url=_optional_str(record.get("url")),
                     title=_optional_str(record.get("title")), published=_optional_str(record.get("published_at")),
                     location=location, repairs=repairs)
    if isinstance(page, Rejection):
        page.raw = line
    return page


def _read_line(stream: BinaryIO, cap: int) -> tuple[bytes | None, bool]:
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


def _without_lone_surrogates(record: dict) -> tuple[dict, int]:
    """The record's string fields with every lone surrogate replaced by U+FFFD, and how many were.

    JSON may escape a UTF-16 surrogate on its own (`"\\ud800"`, often half of an emoji cut by a scraper);
    `json.loads` then gives a str that cannot be encoded, and the page would fail wherever it is written.
    A valid pair is decoded into one character, so every surrogate left is a lone one."""
    replaced = 0
    fields = {}
    for key, value in record.items():
        if isinstance(value, str):
            value, count = _SURROGATE.subn("\ufffd", value)
            replaced += count
        fields[key] = value
    return fields, replaced


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None

