"""The article and quarantine records and their Arrow schemas, defined once for every stage."""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

PIPELINE_VERSION = "0.1.0"


@dataclass(slots=True)
class Page:
    """One input document after ingestion: decoded, normalized text plus what the input said of it."""

    doc_id: str
    source: str
    source_file: str
    text: str
    url: str | None = None
    title_hint: str | None = None
    published_hint: str | None = None
    input_encoding: str = "utf-8"
    repairs: list[str] = field(default_factory=list)
    # site_chrome.page_fingerprints of the text's blocks: computed once at ingestion, where the blocks are at
    # hand, for the site-chrome counts and staged for the cleaning's lookups; None when not computed.
    fingerprints: Sequence[int] | None = None
    # The identity of (source, text) that ingestion counts a page's blocks once by (pipeline.counted_pages), made
    # where the text's UTF-8 is at hand; None when not computed.
    text_key: str | None = None


@dataclass(slots=True)
class Article:
    """One clean article: the record the product exists to write."""

    doc_id: str
    source: str
    source_file: str
    url: str | None
    title: str | None
    subtitle: str | None
    authors: list[str]
    published_at: dt.datetime | None
    published_at_as_written: str | None
    body: str
    word_count: int
    content_hash: str
    blocks_total: int
    blocks_removed: dict[str, int]
    body_confidence: float
    input_encoding: str
    repairs: list[str]
    language: str = "und"
    language_score: float = 0.0


@dataclass(slots=True)
class Rejection:
    """An input that could not become an article, kept with the reason so nothing is lost."""

    doc_id: str
    source_file: str
    stage: str
    reason: str
    detail: str
    raw: bytes


PAGE_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("url", pa.string()),
        ("title_hint", pa.string()),
        ("published_hint", pa.string()),
        ("input_encoding", pa.string()),
        ("repairs", pa.list_(pa.string())),
        ("text", pa.large_string()),
        # Page.fingerprints packed as little-endian int64s (pack_fingerprints): a list<int64> column made a
        # Python int of every one when a batch of pages was read, and their memory stayed with the process.
        ("fingerprints", pa.binary()),
    ]
)
# Where page_values puts the packed fingerprints.
FINGERPRINTS_COLUMN = PAGE_SCHEMA.get_field_index("fingerprints")

ARTICLE_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("subtitle", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("published_at_as_written", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("body", pa.large_string()),
        ("word_count", pa.int32()),
        ("content_hash", pa.string()),
        ("blocks_total", pa.int32()),
        ("blocks_removed", pa.map_(pa.string(), pa.int32())),
        ("body_confidence", pa.float32()),
        ("input_encoding", pa.string()),
        ("repairs", pa.list_(pa.string())),
        ("pipeline_version", pa.string()),
    ]
)

# Hive partition columns live in the directory names only: Spark and DuckDB reject files that repeat them.
PARTITION_COLUMNS = ("ingest_date", "language")
ARTICLE_FILE_SCHEMA = ARTICLE_SCHEMA.remove(ARTICLE_SCHEMA.get_field_index("language"))

QUARANTINE_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_file", pa.string()),
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("raw", pa.large_binary()),
    ]
)

# Columns written with dictionary encoding: few distinct values, many rows.
DICTIONARY_COLUMNS = ["source", "source_file", "language", "input_encoding", "pipeline_version", "stage", "reason"]


def page_row(page: Page) -> dict:
    return dict(zip(PAGE_SCHEMA.names, page_values(page), strict=True))


def page_values(page: Page) -> tuple:
    """`page_row`'s values in PAGE_SCHEMA's column order, as a staged file appends them."""
    return (page.doc_id, page.source, page.source_file, page.url, page.title_hint, page.published_hint,
            page.input_encoding, page.repairs, page.text,
            None if page.fingerprints is None else pack_fingerprints(page.fingerprints))


def page_from_row(row: dict) -> Page:
    return Page(
        doc_id=row["doc_id"],
        source=row["source"],
        source_file=row["source_file"],
        text=row["text"],
        url=row["url"],
        title_hint=row["title_hint"],
        published_hint=row["published_hint"],
        input_encoding=row["input_encoding"],
        repairs=list(row["repairs"] or []),
        fingerprints=unpack_fingerprints(row.get("fingerprints")),  # absent from pages staged before it was
    )


def pack_fingerprints(fingerprints: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(fingerprints)}q", *fingerprints)


def unpack_fingerprints(packed: bytes | None) -> tuple[int, ...] | None:
    return None if packed is None else struct.unpack(f"<{len(packed) // 8}q", packed)


def article_row(article: Article) -> dict:
    return {
        "doc_id": article.doc_id,
        "source": article.source,
        "source_file": article.source_file,
        "url": article.url,
        "title": article.title,
        "subtitle": article.subtitle,
        "authors": article.authors,
        "published_at": article.published_at,
        "published_at_as_written": article.published_at_as_written,
        "language": article.language,
        "language_score": article.language_score,
        "body": article.body,
        "word_count": article.word_count,
        "content_hash": article.content_hash,
        "blocks_total": article.blocks_total,
        "blocks_removed": list(article.blocks_removed.items()),
        "body_confidence": article.body_confidence,
        "input_encoding": article.input_encoding,
        "repairs": article.repairs,
        "pipeline_version": PIPELINE_VERSION,
    }


def article_from_row(row: dict) -> Article:
    return Article(
        doc_id=row["doc_id"],
        source=row["source"],
        source_file=row["source_file"],
        url=row["url"],
        title=row["title"],
        subtitle=row["subtitle"],
        authors=list(row["authors"] or []),
        published_at=row["published_at"],
        published_at_as_written=row["published_at_as_written"],
        body=row["body"],
        word_count=row["word_count"],
        content_hash=row["content_hash"],
        blocks_total=row["blocks_total"],
        blocks_removed=dict(row["blocks_removed"] or []),
        body_confidence=row["body_confidence"],
        input_encoding=row["input_encoding"],
        repairs=list(row["repairs"] or []),
        language=row["language"],
        language_score=row["language_score"],
    )


def rejection_row(rejection: Rejection) -> dict:
    return {
        "doc_id": rejection.doc_id,
        "source_file": rejection.source_file,
        "stage": rejection.stage,
        "reason": rejection.reason,
        "detail": rejection.detail,
        "raw": rejection.raw,
    }
