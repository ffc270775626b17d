"""Site chrome across runs: the state command, one-page paragraphs, and versions of one story."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from pipeline.clean.site_chrome import BlockCounter, SiteChromeModel, build_model
from pipeline.cli import main
from tests.clean.conftest import run_and_read

CHROME = ["Sign up to our morning briefing and never miss a story from the newsroom again today",
          "Home", "World news and analysis"]


def _page(body: list[str]) -> str:
    return "\n\n".join([*CHROME[1:], "A headline for this story here", *body, CHROME[0]]) + "\n"


def _prose(topic: str, n: int) -> list[str]:
    return [f"The report on {topic} said on Monday that paragraph {k} of the story was written for this test, "
            f"and that it would be read by the people of the town before the end of the week." for k in range(n)]


def test_state_show_and_reset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for site in ("alpha.example", "beta.example"):
        folder = tmp_path / "in" / site
        folder.mkdir(parents=True)
        for number, topic in enumerate(["roads", "schools", "rivers"]):
            (folder / f"{number}.txt").write_text(_page(_prose(f"{topic} of {site}", 2)), encoding="utf-8")
    out = tmp_path / "out"
    run_and_read(tmp_path / "in", out, dt.date(2022, 1, 10))
    run_and_read(tmp_path / "in" / "alpha.example", out, dt.date(2022, 1, 11))
    assert main(["state", "show", str(out)]) == 0
    shown = capsys.readouterr().out.splitlines()
    alpha = next(line.split() for line in shown if line.startswith("alpha.example"))
    beta = next(line.split() for line in shown if line.startswith("beta.example"))
    # pages in the window, dates, chrome blocks (the chrome, and the headline all pages share)
    assert alpha[1:3] == ["6", "2"] and int(alpha[3]) >= 4
    assert beta[1:4] == ["3", "1", "4"]
    assert main(["state", "reset", str(out), "--source", "alpha.example"]) == 0
    main(["state", "show", str(out)])
    shown = capsys.readouterr().out
    assert "alpha.example" not in shown and "beta.example" in shown
    assert main(["state", "reset", str(out)]) == 0
    main(["state", "show", str(out)])
    assert "no site-chrome statistics" in capsys.readouterr().out


def test_a_paragraph_on_one_page_is_never_chrome() -> None:
    counter = BlockCounter()
    counter.add_page("site", ["only here", "everywhere"])
    counter.add_page("site", ["everywhere"])
    model = build_model(counter.to_table(), min_pages=1, min_share=0.0)
    assert model.is_chrome("site", "everywhere")
    assert not model.is_chrome("site", "only here")


def test_versions_of_one_story_keep_their_shared_body(tmp_path: Path) -> None:
    """Two updates of a story (same URL, and another URL too) beside other stories of the site."""
    body = _prose("the flood", 4)
    pages = [
        {"id": "v1", "url": "https://news.example/2022/01/flood-story", "text": _page(body)},
        {"id": "v2", "url": "https://news.example/2022/01/flood-story?update=2",
         "text": _page([*body, "An update added at noon says that the water is now going down in the town."])},
        {"id": "v3", "url": "https://news.example/amp/2022/01/flood-story-live", "text": _page(body[:3])},
        {"id": "other1", "url": "https://news.example/2022/01/roads", "text": _page(_prose("roads", 3))},
        {"id": "other2", "url": "https://news.example/2022/01/schools", "text": _page(_prose("schools", 3))},
    ]
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "pages.jsonl", "w", encoding="utf-8") as handle:
        for page in pages:
            handle.write(json.dumps(page) + "\n")
    records = run_and_read(tmp_path / "in", tmp_path / "out")
    assert records["v1"]["body"].split("\n\n") == body
    assert records["v2"]["body"].split("\n\n")[:4] == body
    assert records["v3"]["body"].split("\n\n") == body[:3]
    for record in records.values():
        assert CHROME[0] not in record["body"]


def test_site_model_keeps_prose_seen_on_two_stories_only() -> None:
    counter = BlockCounter()
    prose = " ".join(["word"] * 40)
    counter.add_page("site", [prose, "Menu"], url="https://site.example/a")
    counter.add_page("site", [prose, "Menu"], url="https://site.example/b")
    model = build_model(counter.to_table(), min_pages=2, min_share=0.1)
    assert model.is_chrome("site", "Menu")
    assert not model.is_chrome("site", prose)
    assert isinstance(SiteChromeModel.empty().is_chrome("site", prose), bool)


def test_block_counts_are_per_source_and_once_per_page_and_story() -> None:
    """The counter's table (counted together, in numpy) holds what a Counter of each page's distinct blocks
    would: random pages of three sites, blocks repeated on a page, stories repeated, empty pages."""
    from collections import Counter

    from pipeline.clean.site_chrome import PAGE_COUNT_KEY, story_key

    rng = random.Random(5)
    for _ in range(200):
        counter, blocks, pages, stories = BlockCounter(), Counter(), Counter(), set()
        for number in range(rng.randint(0, 30)):
            source = rng.choice(["a.example", "b.example", "c.example"])
            fingerprints = [rng.randint(1, 12) for _ in range(rng.randint(0, 8))]
            url = rng.choice([None, "https://a.example/x", "https://a.example/x?v=2", f"https://a.example/{number}"])
            story = None if url is None else (source, story_key(url))
            counts = story not in stories
            assert counter.add_fingerprints(source, fingerprints, url) == counts
            if story is not None:
                stories.add(story)
            if counts:
                pages[source] += 1
                blocks.update((source, fingerprint) for fingerprint in set(fingerprints))
        expected = sorted([(source, fp, n) for (source, fp), n in blocks.items()]
                          + [(source, PAGE_COUNT_KEY, n) for source, n in pages.items()])
        assert sorted(tuple(row.values()) for row in counter.to_table().to_pylist()) == expected


def test_page_fingerprints_equal_each_blocks_own() -> None:
    """Fingerprinting a page in one pass gives each block's own fingerprint: case folding that changes
    lengths ('ß', 'ﬁ', 'İ'), digits of other scripts, and a block with a newline inside."""
    from pipeline.clean.site_chrome import block_fingerprint, page_fingerprints

    blocks = ["Straße 12 and ﬁnal", "İstanbul ١٢٣ ΣΑΣ", "Home", "", "two\nlines 2024", "Menu 7"]
    assert page_fingerprints(blocks) == [block_fingerprint(block) for block in blocks]
    assert page_fingerprints(blocks[:4]) == [block_fingerprint(block) for block in blocks[:4]]
    assert page_fingerprints(["Nov 3", "nov 29"])[0] == page_fingerprints(["Nov 3", "nov 29"])[1]
    assert page_fingerprints([]) == []


def test_fingerprints_stay_what_the_persisted_state_holds() -> None:
    """The state under OUT/state/site_chrome keeps fingerprints across nights: a faster way to compute them
    must give the same numbers (these are blake2b's, as written since the state's first version)."""
    from pipeline.clean.site_chrome import block_fingerprint, page_fingerprints

    blocks = ["Accept all cookies", "Straße 12, 2024 – Ελληνικά ٣٤", "Nov 3"]
    expected = [1172031581861031869, 7331117919969261833, 8943066330865606877]
    assert page_fingerprints(blocks) == expected
    assert [block_fingerprint(block) for block in blocks] == expected
