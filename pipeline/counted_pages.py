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

from collections.abc import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean import site_chrome
from pipeline.clean.normalize import stored_blocks

COUNTED_SCHEMA = pa.schema([
    ("text_key", pa.string()),  # content hash of source + text
    ("source", pa.string()),
    ("story", pa.string()),  # site_chrome.story_key of the URL; null without one
    ("row", pa.int64()),  # the page's row in the shard's staged pages
    ("counted", pa.bool_()),  # whether the shard counted its blocks
])


def recount(shards: Iterable[pa.Table]) -> list[tuple[int, list[int], list[int]]]:
    """Per shard position, the rows a shard counted that the whole run does not (an earlier shard counted
    their text or story), and the rows it skipped as story repeats that the whole run counts (the page it
    took for the story's first is itself a repeat of an earlier shard's text); shards without either left out."""
    texts: set[str] = set()
    stories: set[tuple[str, str]] = set()
    changes: list[tuple[int, list[int], list[int]]] = []
    for position, table in enumerate(shards):
        uncount, count = [], []
        for text_key, source, story, row, counted in zip(*(table[name].to_pylist() for name in COUNTED_SCHEMA.names),
                                                         strict=True):
            if text_key in texts:
                first = False
            else:
                texts.add(text_key)
                first = story is None or (source, story) not in stories
                if story is not None:
                    stories.add((source, story))
            if counted and not first:
                uncount.append(row)
            elif first and not counted:
                count.append(row)
        if uncount or count:
            changes.append((position, uncount, count))
    return changes


def block_counts(pages: Iterable[tuple[str, str]], sign: int = 1) -> pa.Table:
    """Block counts of (source, text) pages, each counted, negated with sign -1."""
    counter = site_chrome.BlockCounter()
    for source, text in pages:
        counter.add_page(source, stored_blocks(text))
    table = counter.to_table()
    return table if sign > 0 else table.set_column(2, "pages", pc.negate(table["pages"]))


def correction(shards: Iterable[pa.Table],
               read_pages: Callable[[int, list[int]], Iterable[tuple[str, str]]]) -> pa.Table:
    """The counts to add to the shards' so that each text and each story counts once over the run;
    `read_pages(shard position, rows)` gives the (source, text) of those staged pages."""
    uncounted: list[tuple[str, str]] = []
    counted: list[tuple[str, str]] = []
    for position, uncount, count in recount(shards):
        uncounted.extend(read_pages(position, uncount))
        counted.extend(read_pages(position, count))
    return pa.concat_tables([block_counts(counted), block_counts(uncounted, sign=-1)])
