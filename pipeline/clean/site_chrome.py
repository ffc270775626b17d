"""Site chrome learned across pages: a block seen on many pages of one source is not article text.

Counts are kept per ingest date under `OUT/state/site_chrome/ingest_date=YYYY-MM-DD.parquet`, so a rerun
of a date replaces its own contribution, and a night with few pages of a site still benefits from the
nights before it (a window of `window_days`).

What is counted is stories, not pages: versions of one story (same URL, or updates scraped twice) share
their body paragraphs, and counting each version would make that body look like chrome. A page whose
story was already counted in this run adds nothing. Across dates, a prose block (article-shaped) needs
more sightings than a short one before it is removed (`PROSE_MIN_PAGES`), so one story updated on two
nights keeps its body; and a block seen once is never chrome.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.clean import fingerprints
from pipeline.schema import pack_fingerprints

COUNTS_SCHEMA = pa.schema([("source", pa.string()), ("fingerprint", pa.int64()), ("pages", pa.int64())])
# The row that holds a source's page count: a fingerprint no block can have.
PAGE_COUNT_KEY = 0
# Small sites keep every block's count so that evidence can build up over nights.
SMALL_SITE_PAGES = 50
# An article-shaped block is chrome only when seen on this many stories: two versions of one story that
# slipped past the story key (different URLs, different nights) must keep their shared paragraphs.
PROSE_MIN_PAGES = 3
PROSE_MIN_WORDS = 25
_DIGITS = re.compile(r"\d+")
_URL_NOISE = re.compile(r"(/amp)?(/index\.\w+)?/*$", re.IGNORECASE)


# Navigation, footer and cookie lines recur on page after page of a site: the ids of short blocks are
# remembered (long ones seldom recur, and would make the cache big).
FINGERPRINT_CACHE_SIZE = 4096
CACHED_BLOCK_CHARS = 300


def block_fingerprint(block: str) -> int:
    """A stable 63-bit id of a block, blind to case and to numbers (dates, counters) in it."""
    return _remembered_fingerprint(block) if len(block) <= CACHED_BLOCK_CHARS else _fingerprint(block)


def _fingerprint(block: str) -> int:
    folded = block.casefold()
    key = (_DIGITS.sub("0", folded) if _DIGITS.search(folded) else folded).encode("utf-8")  # most have none
    value = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little") >> 1
    return value or 1


_remembered_fingerprint = lru_cache(maxsize=FINGERPRINT_CACHE_SIZE)(_fingerprint)


def page_fingerprints(blocks: Sequence[str]) -> list[int]:
    """`block_fingerprint` of each of a page's blocks, folded and digit-blind in one pass over the page.

    Blocks hold no newline, and case folding and the digit rewrite never cross one, so the joined page
    splits back into the same blocks, each folded as on its own: a page costs two scans and one encoding,
    not two and one per block. With the compiled kernel (pipeline.clean.fingerprints), one pass in all.
    """
    if not blocks:
        return []
    joined = "\n".join(blocks)
    compiled = fingerprints.line_fingerprints(joined, len(blocks))
    if compiled is not None:
        return compiled
    folded = joined.casefold()
    if _DIGITS.search(folded):
        folded = _DIGITS.sub("0", folded)
    keys = folded.encode("utf-8").split(b"\n")
    if len(keys) != len(blocks):  # a block with a newline of its own: fingerprint each on its own
        return [block_fingerprint(block) for block in blocks]
    return [(int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little") >> 1) or 1 for key in keys]


def story_key(url: str | None) -> str | None:
    """What identifies one story across its versions: the URL without query, fragment or AMP/index suffix."""
    if not url:
        return None
    parts = urlsplit(url)
    path = _URL_NOISE.sub("", parts.path)
    return f"{(parts.hostname or '').removeprefix('www.')}{path}".casefold() or None


@dataclass(slots=True)
class BlockCounter:
    """Counts, per source, on how many stories each block occurs (once per story: see the module doc).

    A counted page's fingerprints are kept packed as staged (`schema.pack_fingerprints`), and all pages are
    counted at once by `to_table`, in numpy: updating a Counter with every page's blocks cost ~50 us a page,
    a quarter of what ingestion spent besides reading and normalizing."""

    pages: Counter = field(default_factory=Counter)
    stories: set = field(default_factory=set)
    _sources: list[str] = field(default_factory=list)
    _packed: list[bytes] = field(default_factory=list)

    def add_page(self, source: str, blocks: Iterable[str], url: str | None = None) -> bool:
        return self.add_fingerprints(source, page_fingerprints(list(blocks)), url)

    def add_fingerprints(self, source: str, fingerprints: Sequence[int], url: str | None = None) -> bool:
        """`add_page` of a page whose blocks' `page_fingerprints` are known (ingestion stages them)."""
        return self.add_packed(source, pack_fingerprints(fingerprints), story_key(url))

    def add_packed(self, source: str, packed: bytes, key: str | None) -> bool:
        """`add_fingerprints` of fingerprints packed as staged, of a page whose URL's `story_key` is `key`;
        whether the page counted (it is not when its story was already counted)."""
        if key is not None:
            if (source, key) in self.stories:
                return False
            self.stories.add((source, key))
        self.pages[source] += 1
        self._sources.append(source)
        self._packed.append(packed)
        return True

    def to_table(self) -> pa.Table:
        """One row per (source, block) with the number of counted pages holding the block, then one row per
        source with its page count (fingerprint PAGE_COUNT_KEY)."""
        names: dict[str, int] = {}
        page_sources = np.fromiter((names.setdefault(source, len(names)) for source in self._sources),
                                   dtype=np.int32, count=len(self._sources))
        lengths = np.fromiter(map(len, self._packed), dtype=np.int64, count=len(self._packed)) // 8
        fingerprints = np.frombuffer(b"".join(self._packed), dtype="<i8")
        pages = np.repeat(np.arange(len(self._packed), dtype=np.int32), lengths)
        # A block repeated on a page counts once for it.
        order = np.lexsort((fingerprints, pages))
        fingerprints, pages = fingerprints[order], pages[order]
        first = _run_starts(fingerprints, pages)
        fingerprints, sources = fingerprints[first], page_sources[pages[first]]
        order = np.lexsort((fingerprints, sources))
        fingerprints, sources = fingerprints[order], sources[order]
        starts = np.flatnonzero(_run_starts(fingerprints, sources))
        counts = np.diff(np.append(starts, len(fingerprints)))
        source_names = pa.array(list(names), pa.string())
        blocks = pa.table([source_names.take(_int64s(sources[starts])), _int64s(fingerprints[starts]),
                           _int64s(counts)], schema=COUNTS_SCHEMA)
        page_rows = pa.table([list(self.pages), [PAGE_COUNT_KEY] * len(self.pages), list(self.pages.values())],
                             schema=COUNTS_SCHEMA)
        return pa.concat_tables([blocks, page_rows])


def _run_starts(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Of rows sorted by (keys, values), whether each starts a run of equal (key, value) pairs."""
    starts = np.ones(len(values), dtype=np.bool_)
    starts[1:] = (values[1:] != values[:-1]) | (keys[1:] != keys[:-1])
    return starts


def _int64s(values: np.ndarray) -> pa.Array:
    """An Arrow int64 array of numpy's; made from its buffer, since `pa.array` of a numpy array imports
    numpy.ma (~15 ms) in a process that has not."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


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
    first = ingest_date - dt.timedelta(days=window_days - 1)
    tables = [pq.read_table(path, schema=COUNTS_SCHEMA) for day, path in _date_files(output)
              if first <= day <= ingest_date]
    if not tables:
        return COUNTS_SCHEMA.empty_table()
    summed = pa.concat_tables(tables).group_by(["source", "fingerprint"]).aggregate([("pages", "sum")])
    return summed.rename_columns(["source", "fingerprint", "pages"]).cast(COUNTS_SCHEMA)


@dataclass(frozen=True, slots=True)
class SiteChromeModel:
    """Blocks judged chrome, with the number of stories each was seen on; small enough for every shard."""

    chrome: dict[tuple[str, int], int]

    def is_chrome(self, source: str, block: str) -> bool:
        if not self.chrome:
            return False  # the empty model of a page read on its own evidence: no fingerprint needed
        pages = self.chrome.get((source, block_fingerprint(block)))
        if pages is None:
            return False
        return pages >= PROSE_MIN_PAGES or len(block.split()) < PROSE_MIN_WORDS

    def chrome_blocks(self, source: str, blocks: Sequence[str], fingerprints: Sequence[int] | None = None) -> list[int]:
        """The indices of the page's blocks that `is_chrome` would name, fingerprinted in one pass; or
        looked up by `fingerprints`, their `page_fingerprints` when ingestion staged them."""
        if not self.chrome:
            return []
        if fingerprints is None or len(fingerprints) != len(blocks):
            fingerprints = page_fingerprints(blocks)
        found = []
        for index, fingerprint in enumerate(fingerprints):
            pages = self.chrome.get((source, fingerprint))
            if pages is not None and (pages >= PROSE_MIN_PAGES or len(blocks[index].split()) < PROSE_MIN_WORDS):
                found.append(index)
        return found

    @classmethod
    def empty(cls) -> SiteChromeModel:
        return cls({})


def build_model(counts: pa.Table, min_pages: int, min_share: float) -> SiteChromeModel:
    """Chrome: a block on at least `min_pages` stories of its source and on `min_share` of them.

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
    chrome = {
        (source, fingerprint): pages
        for source, fingerprint, pages in candidates
        if pages >= min_share * site_pages.get(source, pages)
    }
    return SiteChromeModel(chrome)


def save_model(model: SiteChromeModel, path: str) -> None:
    keys = list(model.chrome)
    table = pa.table({"source": pa.array([source for source, _ in keys], pa.string()),
                      "fingerprint": pa.array([fp for _, fp in keys], pa.int64()),
                      "pages": pa.array(list(model.chrome.values()), pa.int64())})
    pq.write_table(table, path, compression="zstd")


def load_model(path: str) -> SiteChromeModel:
    table = pq.read_table(path)
    keys = zip(table["source"].to_pylist(), table["fingerprint"].to_pylist(), strict=True)
    return SiteChromeModel(dict(zip(keys, table["pages"].to_pylist(), strict=True)))


# ---------------------------------------------------------------- inspecting and resetting the state


@dataclass(frozen=True, slots=True)
class SourceState:
    source: str
    pages: int
    dates: int
    chrome_blocks: int
    last_date: str


def _date_files(output: str) -> list[tuple[dt.date, str]]:
    directory = state_dir(output)
    if not os.path.isdir(directory):
        return []
    found = []
    for name in sorted(os.listdir(directory)):
        if name.startswith("ingest_date=") and name.endswith(".parquet"):
            day = dt.date.fromisoformat(name.removeprefix("ingest_date=").removesuffix(".parquet"))
            found.append((day, os.path.join(directory, name)))
    return found


def summarize(output: str, window_days: int, min_pages: int, min_share: float,
              source: str | None = None) -> list[SourceState]:
    """Per source: stories counted in the window ending at the last date, dates seen, chrome blocks learned."""
    files = _date_files(output)
    if not files:
        return []
    last = files[-1][0]
    window = load_window_counts(output, last, window_days)
    if source is not None:
        window = window.filter(pc.equal(window["source"], source))
    model = build_model(window, min_pages, min_share)
    chrome = Counter(src for src, _ in model.chrome)
    dates: Counter = Counter()
    last_seen: dict[str, str] = {}
    for day, path in files:
        table = pq.read_table(path, schema=COUNTS_SCHEMA)
        for src in set(table.filter(pc.equal(table["fingerprint"], PAGE_COUNT_KEY))["source"].to_pylist()):
            dates[src] += 1
            last_seen[src] = day.isoformat()
    pages = window.filter(pc.equal(window["fingerprint"], PAGE_COUNT_KEY))
    in_window = dict(zip(pages["source"].to_pylist(), pages["pages"].to_pylist(), strict=True))
    sources = sorted(set(last_seen) if source is None else {source} & set(last_seen))
    return [SourceState(src, in_window.get(src, 0), dates[src], chrome[src], last_seen[src]) for src in sources]


def reset(output: str, source: str | None = None) -> int:
    """Forget every source's counts (remove the date files), or one source's (rewrite them without it).

    Returns the number of date files removed or rewritten.
    """
    changed = 0
    for day, path in _date_files(output):
        if source is None:
            os.remove(path)
            changed += 1
            continue
        table = pq.read_table(path, schema=COUNTS_SCHEMA)
        kept = table.filter(pc.not_equal(table["source"], source))
        if kept.num_rows != table.num_rows:
            write_date_counts(output, day, kept)
            changed += 1
    return changed
