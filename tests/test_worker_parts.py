"""With --workers, cleaning is cut into parts of shrinking size: every page cleaned once, in order, and the
workers' last parts small, so that they finish together."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.bench_corpus import write_text_corpus
from pipeline.run import MIN_PART_PAGES, clean_part_plan
from pipeline.sink.parquet import iter_row_range
from tests.support import published, run_checked


def _covered(plan: list[tuple[int, int, int, int]]) -> dict[int, list[int]]:
    rows: dict[int, list[int]] = {}
    for shard, _, first, count in sorted(plan):  # by shard, then part number: the order files are read in
        rows.setdefault(shard, []).extend(range(first, first + count))
    return rows


@pytest.mark.parametrize("workers", [2, 3, 4])
def test_every_page_is_in_exactly_one_part_numbered_in_page_order(workers: int) -> None:
    randomly = random.Random(workers)
    for _ in range(50):
        pages = {index: randomly.choice([0, 1, 49, 50, 51, 120, 750, 2_000, 20_000]) for index in range(6)}
        plan = clean_part_plan(pages, workers)
        covered = _covered(plan)
        for shard, count in pages.items():
            assert covered.get(shard, []) == list(range(count)) or (count == 0 and covered[shard] == [0])
            numbers = sorted(part for index, part, *_ in plan if index == shard)
            assert numbers == list(range(len(numbers)))
        assert all(count >= MIN_PART_PAGES or count == pages[shard] - first
                   for shard, _, first, count in plan if pages[shard])


def test_parts_shrink_so_the_last_ones_are_small() -> None:
    pages = {0: 750, 1: 760, 2: 740, 3: 750}  # 3,000 pages in four shards, as --workers 2 plans them
    sizes = [count for *_, count in clean_part_plan(pages, 2)]
    assert sizes[0] == max(sizes) and sizes[0] >= 700
    assert max(sizes[-4:]) <= 2 * MIN_PART_PAGES
    assert sum(sizes) == 3_000 and len(sizes) <= 20
    # Shrinking: each part at most the largest of those before it, with a sliver's slack where a shard ends.
    assert all(size < max(sizes[:position]) + MIN_PART_PAGES for position, size in enumerate(sizes) if position)


def test_a_shard_without_pages_still_gets_its_part() -> None:
    assert clean_part_plan({0: 0, 1: 10}, 2) == [(0, 0, 0, 1), (1, 0, 0, 10)]


def test_row_range_reads_the_rows_asked_whatever_the_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "pages.parquet"
    with pq.ParquetWriter(path, pa.schema([("n", pa.int64())])) as writer:
        for start in range(0, 1_000, 70):  # row groups of 70 rows
            writer.write_table(pa.table({"n": list(range(start, min(start + 70, 1_000)))}))
    for first, count in [(0, 1), (0, 1_000), (69, 2), (70, 70), (333, 250), (990, 50), (1_000, 5), (0, 0)]:
        expected = list(range(first, min(first + count, 1_000)))
        assert [row["n"] for row in iter_row_range(str(path), first, count)] == expected


def test_two_workers_publish_what_one_publishes(tmp_path: Path) -> None:
    """300 generated pages: two shards, cleaned in parts of both, give the one-worker run's output."""
    write_text_corpus(str(tmp_path / "corpus"), 300, seed=3)
    one = published_run(tmp_path / "corpus", tmp_path / "one", workers=1)
    two = published_run(tmp_path / "corpus", tmp_path / "two", workers=2)
    assert len(list((tmp_path / "two").glob("_work"))) == 0
    assert two == one
    assert sum(len(rows) for rows in one["articles"].values()) >= 250


def published_run(corpus: Path, out: Path, workers: int) -> dict:
    manifest = run_checked([corpus], out, workers=workers)
    assert manifest["config"].pop("workers") == workers
    result = published(out)
    result["manifest"]["config"].pop("workers")
    return result
