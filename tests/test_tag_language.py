"""The record's language is detected once per page: on its body's language sample, the cleaning's answer reused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.clean.extract import LANGUAGE_SAMPLE_CHARS, extract_article, language_sample
from pipeline.clean.normalize import normalize_page
from pipeline.clean.site_chrome import SiteChromeModel
from pipeline.langid import UNDETERMINED, detect_language
from pipeline.run import tag_language
from pipeline.schema import Article, Page

MULTI = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev" / "multi"


def test_sample_is_the_longest_blocks_up_to_the_limit() -> None:
    blocks = ["short", "b" * 900, "c" * 700, "a" * 900, "d" * 800]
    assert language_sample(blocks) == "\n".join(["b" * 900, "a" * 900])  # equals keep page order
    assert language_sample(["x" * 10, "y" * 20]) == "y" * 20 + "\n" + "x" * 10
    assert language_sample([]) == ""
    assert len(language_sample(["z" * 2000])) > LANGUAGE_SAMPLE_CHARS  # a block is never cut


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    if not MULTI.is_dir():
        pytest.skip("../shared/eval/dev/multi is not there")
    found = []
    for path in sorted(MULTI.glob("*.txt"))[::3]:
        page = Page(path.stem, "multi", path.name, normalize_page(path.read_text(encoding="utf-8")))
        result = extract_article(page, SiteChromeModel.empty())
        if isinstance(result, Article):
            found.append(result)
    return found


def test_record_language_is_the_body_samples_whether_handed_on_or_detected(articles: list[Article]) -> None:
    handed_on = 0
    for article in articles:
        handed_on += article.language != UNDETERMINED
        fresh = dataclasses.replace(article, language=UNDETERMINED, language_score=0.0)
        assert tag_language(article) is None and tag_language(fresh) is None, article.doc_id
        want = detect_language(language_sample(article.body.split("\n\n")))
        for tagged in (article, fresh):
            assert (tagged.language, tagged.language_score) == (want.language, round(want.score, 6)), article.doc_id
    # Pages whose longest prose is all body hand the cleaning's answer on; the rest are detected again.
    assert 0 < handed_on < len(articles)


def test_the_dags_detect_stage_tags_staged_rows_as_tag_language_does(tmp_path: Path, articles: list[Article]) -> None:
    """detect_language_shard passes staged rows through as Arrow batches: each row comes out as tag_language
    makes its Article, and one without language evidence is quarantined by that stage."""
    import datetime as dt

    import pyarrow.parquet as pq

    from pipeline import run
    from pipeline.config import RunConfig
    from pipeline.schema import ARTICLE_SCHEMA, article_row
    from pipeline.sink.parquet import StagedParquetWriter

    numbers = dataclasses.replace(articles[0], doc_id="numbers", body="\n\n".join(["1234 5678"] * 5),
                                  language=UNDETERMINED, language_score=0.0)
    staged = [*articles, *(dataclasses.replace(a, doc_id=f"{a.doc_id}-und", language=UNDETERMINED,
                                               language_score=0.0) for a in articles), numbers]
    config = RunConfig(inputs=(str(tmp_path),), output=str(tmp_path / "out"), ingest_date=dt.date(2000, 1, 1))
    work = run.work_dir(config, "detect")
    with StagedParquetWriter(f"{work}/shard-00000.articles.parquet", ARTICLE_SCHEMA) as writer:
        for article in staged:
            writer.write(article_row(dataclasses.replace(article)))

    counts = run.detect_language_shard(config, "detect", 0)

    expected = []
    for article in staged:
        article = dataclasses.replace(article)
        if tag_language(article) is None:
            expected.append(article_row(article))
    written = pq.read_table(f"{work}/shard-00000.languages.parquet").to_pylist()
    assert written == pq.read_table(_written(tmp_path, expected)).to_pylist()
    quarantined = pq.read_table(f"{work}/shard-00000.language.quarantine.parquet").to_pylist()
    assert [(row["doc_id"], row["stage"], row["reason"]) for row in quarantined] == [
        ("numbers", "detect_language", "no_language_evidence")]
    assert counts["articles"] == len(staged) - 1 and counts["quarantined"] == 1


def _written(tmp_path: Path, rows: list[dict]) -> str:
    from pipeline.schema import ARTICLE_SCHEMA
    from pipeline.sink.parquet import StagedParquetWriter

    path = str(tmp_path / "expected.parquet")
    with StagedParquetWriter(path, ARTICLE_SCHEMA) as writer:
        for row in rows:
            writer.write(row)
    return path
