"""Site chrome learned across pages: a block seen on many pages of one source is not article text.

Counts are kept per ingest date under `OUT/state/site_chrome/ingest_date=YYYY-MM-DD.parquet`, so a rerun
of a date replaces its own contribution, and a night with few pages of a site still benefits from the
nights before it (a window of `window_days`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

COUNTS_SCHEMA = pa.schema([("source", pa.string()), ("fingerprint", pa.int64()), ("pages", pa.int64())])
# The row that holds a source's page count: a fingerprint no block can have.
PAGE_COUNT_KEY = 0
# Small sites keep every block's count so that evidence can build up over nights.
SMALL_SITE_PAGES = 50
_DIGITS = re.compile(r"\d+")


def block_fingerprint(block: str) -> int:
    """A stable 63-bit id of a block, blind to case and to numbers (dates, counters) in it."""
    key = _DIGITS.sub("0", block.casefold()).encode("utf-8")
    value = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little") >> 1
    return value or 1


@dataclass(slots=True)
class BlockCounter:
    """Counts, per source, on how many pages each block occurs (once per page)."""

    pages: Counter = field(default_factory=Counter)
    blocks: Counter = field(default_factory=Counter)

    def add_page(self, source: str, blocks: Iterable[str]) -> None:
        self.pages[source] += 1
        for fingerprint in {block_fingerprint(block) for block in blocks}:
            self.blocks[(source, fingerprint)] += 1

    def to_table(self) -> pa.Table:
        sources = [source for source, _ in self.blocks] + list(self.pages)
        fingerprints = [fp for _, fp in self.blocks] + [PAGE_COUNT_KEY] * len(self.pages)
        counts = list(self.blocks.values()) + list(self.pages.values())
        return pa.table([sources, fingerprints, counts], schema=COUNTS_SCHEMA)


def merge_counts(tables: Iterable[pa.Table]) -> pa.Table:
    """Sum shard counts into one table, dropping single sightings on big sites (they cannot be chrome)."""
    tables = list(tables)
    if not tables:
        return COUNTS_SCHEMA.empty_table()
    merged = pa.concat_tables(tables).group_by(["source", "fingerprint"]).aggregate([("pages", "sum")])
    merged = merged.rename_columns(["source", "fingerprint", "pages"]).select(["source", "fingerprint", "pages"])
    page_rows = merged.filter(pc.equal(merged["fingerprint"], PAGE_COUNT_KEY))
    big_sites = page_rows.filter(pc.greater_equal(page_rows["pages"], SMALL_SITE_PAGES))["source"]
    keep = pc.or_(pc.greater_equal(merged["pages"], 2), pc.invert(pc.is_in(merged["source"], big_sites)))
    return merged.filter(keep).cast(COUNTS_SCHEMA)


def state_dir(output: str) -> str:
    return os.path.join(output, "state", "site_chrome")


def write_date_counts(output: str, ingest_date: dt.date, counts: pa.Table) -> str:
    """Replace this date's contribution to the persistent state (write then rename: never half-written)."""
    directory = state_dir(output)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"ingest_date={ingest_date.isoformat()}.parquet")
    temporary = os.path.join(directory, f".ingest_date={ingest_date.isoformat()}.parquet.tmp{os.getpid()}")
    pq.write_table(counts, temporary, compression="zstd")
    os.replace(temporary, path)
    return path


def load_window_counts(output: str, ingest_date: dt.date, window_days: int) -> pa.Table:
    """The summed counts of the dates in (ingest_date - window_days, ingest_date]."""
    directory = state_dir(output)
    if not os.path.isdir(directory):
        return COUNTS_SCHEMA.empty_table()
    first = ingest_date - dt.timedelta(days=window_days - 1)
    tables = []
    for name in sorted(os.listdir(directory)):
        if not (name.startswith("ingest_date=") and name.endswith(".parquet")):
            continue
        day = dt.date.fromisoformat(name.removeprefix("ingest_date=").removesuffix(".parquet"))
        if first <= day <= ingest_date:
            tables.append(pq.read_table(os.path.join(directory, name), schema=COUNTS_SCHEMA))
    if not tables:
        return COUNTS_SCHEMA.empty_table()
    summed = pa.concat_tables(tables).group_by(["source", "fingerprint"]).aggregate([("pages", "sum")])
    return summed.rename_columns(["source", "fingerprint", "pages"]).cast(COUNTS_SCHEMA)


@dataclass(frozen=True, slots=True)
class SiteChromeModel:
    """The set of (source, fingerprint) pairs judged chrome; small enough to ship to every shard."""

    chrome: frozenset[tuple[str, int]]

    def is_chrome(self, source: str, block: str) -> bool:
        return (source, block_fingerprint(block)) in self.chrome

    @classmethod
    def empty(cls) -> SiteChromeModel:
        return cls(frozenset())


def build_model(counts: pa.Table, min_pages: int, min_share: float) -> SiteChromeModel:
    """Chrome: a block on at least `min_pages` pages of its source and on `min_share` of them.

    `min_pages` is at least 2, so a paragraph that occurs on one page only is never chrome.
    """
    min_pages = max(2, min_pages)
    site_pages: dict[str, int] = {}
    candidates: list[tuple[str, int, int]] = []
    for source, fingerprint, pages in zip(counts["source"].to_pylist(), counts["fingerprint"].to_pylist(),
                                          counts["pages"].to_pylist(), strict=True):
        if fingerprint == PAGE_COUNT_KEY:
            site_pages[source] = pages
        elif pages >= min_pages:
            candidates.append((source, fingerprint, pages))
    chrome = frozenset(
        (source, fingerprint)
        for source, fingerprint, pages in candidates
        if pages >= min_share * site_pages.get(source, pages)
    )
    return SiteChromeModel(chrome)


def save_model(model: SiteChromeModel, path: str) -> None:
    sources = [source for source, _ in model.chrome]
    fingerprints = [fp for _, fp in model.chrome]
    table = pa.table({"source": pa.array(sources, pa.string()), "fingerprint": pa.array(fingerprints, pa.int64())})
    pq.write_table(table, path, compression="zstd")


def load_model(path: str) -> SiteChromeModel:
    table = pq.read_table(path)
    return SiteChromeModel(frozenset(zip(table["source"].to_pylist(), table["fingerprint"].to_pylist(), strict=True)))
