"""Which pages count toward the site-chrome model, decided over the whole run instead of per shard.

Each shard counts a page's blocks once per text and once per story (site_chrome.BlockCounter), but it
sees only its own pages: a page repeated verbatim, or a story's second version, in another shard would
count again, and the records would depend on how the run was cut into shards (hence on --workers).
Each shard therefore also lists, in page order, the keys of every page whose text it had not seen
(counted, or skipped as a story repeat). learn_site_chrome replays those lists in shard order, as one
shard holding every page would have, and corrects the merged counts: minus the blocks of a page a shard
counted though an earlier shard had counted its text or story, plus those of a page a shard skipped as a
story repeat where the run as a whole counts it (the shard's first page of that story repeated an earlier
shard's text). Such pages are rare, so their blocks are recomputed from the staged text.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean import site_chrome
from pipeline.clean.normalize import stored_blocks
from pipeline.key_slices import rows_by_slice, slice_count
from pipeline.sink.parquet import open_parquet

COUNTED_SCHEMA = pa.schema([
    ("text_key", pa.string()),  # ingest.documents.text_key: a hash of source + stored text
    ("source", pa.string()),
    ("story", pa.string()),  # site_chrome.story_key of the URL; null without one
    ("row", pa.int64()),  # the page's row in the shard's staged pages
    ("counted", pa.bool_()),  # whether the shard counted its blocks
])
# Keys held at a time by recount (see there).
ROWS_PER_SLICE = 100_000


def recount(shards: Collection[pa.Table]) -> list[tuple[int, list[int], list[int]]]:
    """Per shard position, the rows a shard counted that the whole run does not (an earlier shard counted
    their text or story), and the rows it skipped as story repeats that the whole run counts (the page it
    took for the story's first is itself a repeat of an earlier shard's text); shards without either left out.

    A page is the run's first of its story when its text is new to the run and its story is new among pages
    with new texts. Sets of every text and story key would grow with the run (~100 MB on 400,000 pages, an
    estimate from the objects' sizes), so each question is answered a slice of keys (a range of the key's
    hash) at a time (pipeline.key_slices), each slice's pass reading `shards` again (it may be re-iterable
    from disk: CountedFiles).
    """
    sizes = [table.num_rows for table in shards]
    slices = slice_count(sum(sizes), ROWS_PER_SLICE)
    new_text = [bytearray(size) for size in sizes]
    text_keys = (table["text_key"].to_pylist() for table in shards)
    for rows_of_shards in rows_by_slice(text_keys, slices):
        texts: set[str] = set()
        for position, (table, rows) in enumerate(zip(shards, rows_of_shards, strict=True)):
            for row, text_key in zip(rows, _values(table["text_key"], rows), strict=True):
                if text_key not in texts:
                    texts.add(text_key)
                    new_text[position][row] = 1
    first = [bytearray(size) for size in sizes]

    def story_keys() -> Iterator[list[tuple[str, str] | None]]:
        """Each shard's (source, story) keys of its pages with new texts; None for the others, and for a
        page without a story, which is the run's first as the first of its text."""
        for position, table in enumerate(shards):
            keys: list[tuple[str, str] | None] = []
            for row, key in enumerate(zip(table["source"].to_pylist(), table["story"].to_pylist(), strict=True)):
                if new_text[position][row] and key[1] is None:
                    first[position][row] = 1
                keys.append(key if new_text[position][row] and key[1] is not None else None)
            yield keys

    for rows_of_shards in rows_by_slice(story_keys(), slices):
        stories: set[tuple[str, str]] = set()
        for position, (table, rows) in enumerate(zip(shards, rows_of_shards, strict=True)):
            keys = zip(_values(table["source"], rows), _values(table["story"], rows), strict=True)
            for row, key in zip(rows, keys, strict=True):
                if key not in stories:
                    stories.add(key)
                    first[position][row] = 1
    changes: list[tuple[int, list[int], list[int]]] = []
    for position, table in enumerate(shards):
        uncount, count = [], []
        for row, (staged_row, counted) in enumerate(zip(table["row"].to_pylist(), table["counted"].to_pylist(),
                                                        strict=True)):
            if counted and not first[position][row]:
                uncount.append(staged_row)
            elif first[position][row] and not counted:
                count.append(staged_row)
        if uncount or count:
            changes.append((position, uncount, count))
    return changes


def _values(column: pa.ChunkedArray, rows: array) -> list:
    """The column's values at `rows`."""
    return column.take(pa.array(rows, type=pa.uint32())).to_pylist() if rows else []


class CountedFiles:
    """The shards' staged counted lists, read from disk again at each iteration (one table in memory)."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def __iter__(self) -> Iterator[pa.Table]:
        return (open_parquet(path).read() for path in self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def _signed(counter: site_chrome.BlockCounter, sign: int) -> pa.Table:
    """The counter's block counts, negated with sign -1."""
    table = counter.to_table()
    return table if sign > 0 else table.set_column(2, "pages", pc.negate(table["pages"]))


def correction(shards: Collection[pa.Table],
               read_pages: Callable[[int, list[int]], Iterable[tuple[str, str]]]) -> pa.Table:
    """The counts to add to the shards' so that each text and each story counts once over the run;
    `read_pages(shard position, rows)` gives the (source, text) of those staged pages. Each page is counted
    as it is read: a run's recounted pages grow with its repeats across shards, their texts are not held."""
    counted, uncounted = site_chrome.BlockCounter(), site_chrome.BlockCounter()
    for position, uncount, count in recount(shards):
        for source, text in read_pages(position, uncount):
            uncounted.add_page(source, stored_blocks(text))
        for source, text in read_pages(position, count):
            counted.add_page(source, stored_blocks(text))
    return pa.concat_tables([_signed(counted, 1), _signed(uncounted, -1)])
