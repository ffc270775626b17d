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
