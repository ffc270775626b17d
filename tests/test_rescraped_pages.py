"""A page scraped again on a later night (or twice in one night) is the same story, not site chrome."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds

from tests.support import article_page, run_checked, write_files


def articles_of(out: Path, date: str) -> dict[str, str]:
    table = ds.dataset(out / "articles" / f"ingest_date={date}", partitioning="hive").to_table()
    return dict(zip(table["doc_id"].to_pylist(), table["body"].to_pylist(), strict=True))


def test_a_page_seen_again_on_later_nights_keeps_its_body(tmp_path: Path) -> None:
    nights = ["2022-01-10", "2022-01-11", "2022-01-12", "2022-01-13"]
    for number, night in enumerate(nights):
        pages = {"site/page-0.txt": article_page(0), f"site/new-{number}.txt": article_page(10 + number)}
        run_checked(write_files(tmp_path / night, pages), tmp_path / "out", night)
    first, last = articles_of(tmp_path / "out", nights[0]), articles_of(tmp_path / "out", nights[-1])
    assert last["site/page-0.txt"] == first["site/page-0.txt"]
    assert "All rights reserved" not in last["site/new-3.txt"]


def test_the_same_page_twice_in_one_night_is_one_article_and_one_duplicate(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "in", {"site/a.txt": article_page(1), "site/b.txt": article_page(1)})
    manifest = run_checked(folder, tmp_path / "out", "2022-01-10", target_shard_bytes=1)
    assert manifest["counts"]["written"] == 1 and manifest["counts"]["duplicates"] == 1, manifest["counts"]
