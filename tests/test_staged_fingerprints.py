"""Block fingerprints are computed once, at ingestion, and staged: cleaning must find the same ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.clean import site_chrome
from pipeline.clean.normalize import stored_blocks
from pipeline.config import RunConfig
from pipeline.run import _shard_path, ingest_shard, plan_shards, work_dir
from pipeline.schema import Page, page_from_row, page_row
from pipeline.sink.parquet import iter_rows
from tests.support import SAMPLE_DIR


def test_staged_fingerprints_are_those_of_the_stored_blocks(tmp_path: Path) -> None:
    config = RunConfig(inputs=(str(SAMPLE_DIR),), output=str(tmp_path / "out"), ingest_date=dt.date(2022, 3, 16))
    pages = []
    for index in plan_shards(config, "run"):
        ingest_shard(config, "run", index)
        pages += [page_from_row(row) for row in iter_rows(_shard_path(work_dir(config, "run"), index, "pages.parquet"))]
    assert len(pages) > 5
    counter = site_chrome.BlockCounter()
    for page in pages:
        blocks = stored_blocks(page.text)
        assert list(page.fingerprints) == site_chrome.page_fingerprints(blocks)
        counter.add_page(page.source, blocks)
    # A model calling chrome every block seen twice: the staged fingerprints pick the blocks recomputing would.
    model = site_chrome.build_model(counter.to_table(), min_pages=2, min_share=0.0)
    found = 0
    for page in pages:
        blocks = stored_blocks(page.text)
        chrome = model.chrome_blocks(page.source, blocks)
        assert model.chrome_blocks(page.source, blocks, page.fingerprints) == chrome
        found += len(chrome)
    assert found


def test_fingerprints_survive_staging() -> None:
    fingerprints = [1, 2**62, 7331117919969261833, (1 << 63) - 1]
    staged = page_row(Page("d", "site", "f.txt", "a\n\nb\n\nc\n\nd", fingerprints=fingerprints))
    assert list(page_from_row(staged).fingerprints) == fingerprints
    assert page_from_row({**staged, "fingerprints": None}).fingerprints is None
