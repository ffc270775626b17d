"""Site-chrome counts, hence records, must not depend on how a run is cut into shards (or on --workers)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import counted_pages
from pipeline.config import RunConfig
from pipeline.counted_pages import COUNTED_SCHEMA, recount
from pipeline.ingest.files import InputFile
from pipeline.run import group_into_shards, plan_shards, run_pipeline
from tests.support import SAMPLE_DIR, read_articles, read_quarantine

DATE = dt.date(2022, 3, 16)


def shard(*pages: tuple[str, str | None, int, bool]) -> pa.Table:
    """A shard's counted-pages list from (text key, story, row, counted) of one source's pages."""
    rows = [{"text_key": key, "source": "site", "story": story, "row": row, "counted": counted}
            for key, story, row, counted in pages]
    return pa.Table.from_pylist(rows, schema=COUNTED_SCHEMA)


def test_each_text_and_each_story_counts_once_over_the_shards() -> None:
    first = shard(("a", "site/1", 0, True), ("b", "site/2", 1, True), ("c", "site/2", 2, False))
    second = shard(("a", "site/1", 0, True), ("d", "site/2", 1, True), ("e", None, 2, True), ("f", "site/3", 3, True))
    third = shard(("c", "site/4", 5, True), ("g", "site/4", 7, False))
    # Second shard: 'a' repeats a text, 'd' a story of the first shard; 'e' and 'f' are new. Third shard: 'c'
    # is a text the first shard has seen, so it does not count and does not take story 'site/4': the
    # shard's story repeat 'g' is the run's first page of that story and counts.
    assert recount([first, second, third]) == [(1, [0, 1], []), (2, [5], [7])]
    assert recount([first]) == []


def _recount_in_one_pass(shards: list[pa.Table]) -> list[tuple[int, list[int], list[int]]]:
    """The rule as one shard holding every page applies it, every key in memory."""
    texts: set[str] = set()
    stories: set[tuple[str, str]] = set()
    changes = []
    for position, table in enumerate(shards):
        uncount, count = [], []
        for text_key, source, story, row, counted in zip(*(table[name].to_pylist() for name in COUNTED_SCHEMA.names),
                                                         strict=True):
            first = text_key not in texts and (story is None or (source, story) not in stories)
            if text_key not in texts and story is not None:
                stories.add((source, story))
            texts.add(text_key)
            if counted and not first:
                uncount.append(row)
            elif first and not counted:
                count.append(row)
        if uncount or count:
            changes.append((position, uncount, count))
    return changes


@pytest.mark.parametrize("rows_per_slice", [1, 5, 100_000])
def test_recount_in_slices_of_keys_decides_as_one_pass(monkeypatch, rows_per_slice: int) -> None:
    monkeypatch.setattr(counted_pages, "ROWS_PER_SLICE", rows_per_slice)
    rng = random.Random(3)
    shards = []
    for _ in range(4):
        pages = []
        for row in range(30):  # few texts and stories over two sources: repeats within and across shards
            story = rng.choice([None, *(f"site/{n}" for n in range(8))])
            pages.append({"text_key": f"t{rng.randrange(25)}", "source": rng.choice(["a", "b"]), "story": story,
                          "row": row, "counted": rng.random() < 0.6})
        shards.append(pa.Table.from_pylist(pages, schema=COUNTED_SCHEMA))
    expected = _recount_in_one_pass(shards)
    assert recount(shards) == expected
    assert any(uncount for _, uncount, _ in expected) and any(count for _, _, count in expected)


def run_sample(output: Path, inputs: Path, **options: int) -> None:
    config = RunConfig(inputs=(str(inputs),), output=str(output), ingest_date=DATE, **options)
    run_pipeline(config)


def test_records_and_state_are_the_same_however_the_run_is_sharded(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLE_DIR, inputs)
    # A verbatim copy of a page of the same site in another file, hence in another shard below.
    shutil.copy(inputs / "independent" / "001_city_flood_defences.txt", inputs / "independent" / "zz_copy.txt")
    one, many = tmp_path / "one", tmp_path / "many"
    run_sample(one, inputs)
    run_sample(many, inputs, target_shard_bytes=1)
    config = RunConfig(inputs=(str(inputs),), output=str(many), ingest_date=DATE, target_shard_bytes=1)
    # README.md is skipped; feeds/pages.jsonl is cut into its two lines (pipeline.ingest.split)
    assert len(plan_shards(config, "check")) == len(list(inputs.rglob("*.*"))) - 1 + 1
    assert read_articles(many).equals(read_articles(one))
    reasons = [read_quarantine(root).select(["doc_id", "reason"]).sort_by("doc_id").to_pylist() for root in (one, many)]
    assert reasons[0] == reasons[1]
    state = Path("state", "site_chrome", f"ingest_date={DATE}.parquet")
    counts = [pq.read_table(root / state).sort_by([("source", "ascending"), ("fingerprint", "ascending")])
              for root in (one, many)]
    assert counts[0].num_rows and counts[1].equals(counts[0])


def test_workers_cut_shards_of_one_page_files_into_pieces_of_at_least_a_megabyte(tmp_path: Path) -> None:
    files = [InputFile(path=f"/in/{i}.txt", root="/in", relative=f"{i}.txt", size=100_000, kind="text")
             for i in range(100)]  # 10 MB
    config = RunConfig(inputs=("/in",), output=str(tmp_path), ingest_date=DATE)
    assert len(group_into_shards(files, config)) == 1
    assert len(group_into_shards(files, dataclasses.replace(config, workers=2))) == 4
    assert len(group_into_shards(files[:15], dataclasses.replace(config, workers=2))) == 2
    # A shard holding a file of uncounted pages stays whole: cut, it could keep pages max_docs_per_shard drops.
    files[50] = dataclasses.replace(files[50], path="/in/50.jsonl.gz", relative="50.jsonl.gz", kind="jsonl")
    assert len(group_into_shards(files, dataclasses.replace(config, workers=2))) == 1


def test_one_shard_per_worker_leaves_no_sliver_of_leftovers(tmp_path: Path) -> None:
    """Airflow's plan: as many shards as slots, even when the files do not divide the bytes evenly."""
    sizes = [100_000 + 7_919 * (i % 13) for i in range(120)]  # ~16 MB of uneven one-page files
    files = [InputFile(path=f"/in/{i}.txt", root="/in", relative=f"{i}.txt", size=size, kind="text")
             for i, size in enumerate(sizes)]
    config = RunConfig(inputs=("/in",), output=str(tmp_path), ingest_date=DATE, shards_per_worker=1)
    for workers in (2, 3, 4):
        shards = group_into_shards(files, dataclasses.replace(config, workers=workers))
        assert len(shards) == workers
        assert [f for shard in shards for f in shard] == files
        # Each piece closes within a file's size past its share: the last one is short of it by at most that much
        # per other piece.
        shard_bytes = [sum(f.size for f in shard) for shard in shards]
        assert max(shard_bytes) - min(shard_bytes) < workers * max(sizes)


def test_pieces_of_an_input_over_the_shard_size_are_equal_and_fill_whole_rounds(tmp_path: Path) -> None:
    """1.7 shard sizes of one-page files: Airflow's two slots get two equal shards (not a full one, a short
    one and the rest, three tasks of which the third runs alone), the CLI's 2 x 2 four."""
    files = [InputFile(path=f"/in/{i}.txt", root="/in", relative=f"{i}.txt", size=5_000 + 97 * (i % 31), kind="text")
             for i in range(3_500)]  # ~19 MB
    config = RunConfig(inputs=("/in",), output=str(tmp_path), ingest_date=DATE, target_shard_bytes=11 * 1024**2)
    for workers, per_worker, expected in ((2, 1, 2), (2, 2, 4), (3, 1, 3), (1, 2, 2)):
        shards = group_into_shards(files, dataclasses.replace(config, workers=workers, shards_per_worker=per_worker))
        assert [f for shard in shards for f in shard] == files
        shard_bytes = [sum(f.size for f in shard) for shard in shards]
        assert len(shards) == expected, shard_bytes
        assert max(shard_bytes) <= config.target_shard_bytes
        if workers > 1:
            assert max(shard_bytes) - min(shard_bytes) < len(shards) * 8_000, shard_bytes


def test_counts_merged_in_slices_are_the_counts_merged_at_once(tmp_path: Path, monkeypatch) -> None:
    from pipeline import chrome_counts

    run_sample(tmp_path / "whole", SAMPLE_DIR)
    monkeypatch.setattr(chrome_counts, "ROWS_PER_SLICE", 8)  # the sample's ~150 count rows: 32 slices
    run_sample(tmp_path / "sliced", SAMPLE_DIR, target_shard_bytes=1)
    state = Path("state", "site_chrome", f"ingest_date={DATE}.parquet")
    counts = [pq.read_table(tmp_path / root / state).sort_by([("source", "ascending"), ("fingerprint", "ascending")])
              for root in ("whole", "sliced")]
    assert counts[0].num_rows > 8 and counts[1].equals(counts[0])
    assert read_articles(tmp_path / "sliced").equals(read_articles(tmp_path / "whole"))
