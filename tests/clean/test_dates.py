"""Tests for pipeline.clean.dates: parsing rules and the choice of the dateline block."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from pipeline.clean.dates import Dateline, PageDates, find_dateline, parse_published_at


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_seed_dateline() -> None:
    line = find_dateline(["Monday 10 January 2022 00:19 EST"])
    assert line == Dateline(0, utc(2022, 1, 10, 5, 19), "Monday 10 January 2022 00:19 EST")
    assert line.published_at.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-01-10T00:19:00+02:00", utc(2022, 1, 9, 22, 19)),
        ("2022-01-10T00:19:00.123Z", utc(2022, 1, 10, 0, 19)),
        ("10 January 2022 00:19 +0200", utc(2022, 1, 9, 22, 19)),
        ("10 January 2022 00:19 -05:00", utc(2022, 1, 10, 5, 19)),
        ("10 January 2022 12:00 GMT+1", utc(2022, 1, 10, 11, 0)),
    ],
)
def test_numeric_offsets(text: str, expected: datetime) -> None:
    assert parse_published_at(text) == expected


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        ("Jan 10, 2022 12:19 PM PST", ["en"], utc(2022, 1, 10, 20, 19)),
        ("January 10th, 2022 at 5pm EDT", ["en"], utc(2022, 1, 10, 21, 0)),
        ("Sat, 15 Jan 2022 10:00:00 GMT", ["en"], utc(2022, 1, 15, 10, 0)),
        ("10 Jan 2022 10:00 BST", ["en"], utc(2022, 1, 10, 9, 0)),
        ("10.01.2022 00:19 MEZ", ["de"], utc(2022, 1, 9, 23, 19)),
        ("10.07.2022 00:19 MESZ", ["de"], utc(2022, 7, 9, 22, 19)),
        ("10.01.2022 12:00 CET", ["de"], utc(2022, 1, 10, 11, 0)),
        ("2022-01-10 00:19 UTC", None, utc(2022, 1, 10, 0, 19)),
    ],
)
def test_zone_abbreviations(text: str, languages: list[str] | None, expected: datetime) -> None:
    assert parse_published_at(text, languages) == expected


def test_lowercase_word_is_not_a_zone() -> None:
    # German "ist" must not be read as IST
    assert parse_published_at("10.01.2022 um 10:00 ist gut", ["de"]) == utc(2022, 1, 10, 10, 0)


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        ("Veröffentlicht am 6. Oktober 2022, 14:05 Uhr", ["de"], utc(2022, 10, 6, 14, 5)),
        ("Mi, 18. März 2023 um 12:50 Uhr", ["de"], utc(2023, 3, 18, 12, 50)),
        ("31. Jan. 2022 in Köln", ["de"], utc(2022, 1, 31)),
        ("Publié le 15 septembre 2009 à 10h30", ["fr"], utc(2009, 9, 15, 10, 30)),
        ("1er janvier 2020", ["fr"], utc(2020, 1, 1)),
        ("Publicado el 6 de mayo de 2022 a las 14:05", ["es"], utc(2022, 5, 6, 14, 5)),
        ("3 marzo 2022 alle 10:15", ["it"], utc(2022, 3, 3, 10, 15)),
        ("3 de maio de 2022 às 09:00", ["pt"], utc(2022, 5, 3, 9, 0)),
        ("3 mei 2022 om 10:00", ["nl"], utc(2022, 5, 3, 10, 0)),
        ("Opublikowano 3 maja 2022", ["pl"], utc(2022, 5, 3)),
        ("3. toukokuuta 2022 klo 10.15", ["fi"], utc(2022, 5, 3, 10, 15)),
        ("15 августа 2016, 13:43", ["ru"], utc(2016, 8, 15, 13, 43)),
        ("Updated May 06, 2019", ["en"], utc(2019, 5, 6)),
    ],
)
def test_languages_and_prefixes(text: str, languages: list[str], expected: datetime) -> None:
    assert parse_published_at(text, languages) == expected


def test_date_without_time_is_midnight_utc_and_time_without_zone_is_utc() -> None:
    assert parse_published_at("26.10.2021", ["de"]) == utc(2021, 10, 26)
    assert parse_published_at("26.10.2021, 07:30", ["de"]) == utc(2021, 10, 26, 7, 30)


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["de"], utc(2022, 4, 3)),
        (["fr"], utc(2022, 4, 3)),
        (["en-GB"], utc(2022, 4, 3)),
        (["en"], utc(2022, 4, 3)),  # unsure: day-first
        (["en-US"], utc(2022, 3, 4)),
    ],
)
def test_day_first_vs_month_first(languages: list[str], expected: datetime) -> None:
    assert parse_published_at("03/04/2022", languages) == expected


def test_unambiguous_numeric_dates_ignore_the_preference() -> None:
    assert parse_published_at("10/18/2020", ["de"]) == utc(2020, 10, 18)
    assert parse_published_at("18/10/2020", ["en-US"]) == utc(2020, 10, 18)


def test_us_context_on_an_english_page_turns_numeric_dates_month_first() -> None:
    blocks = ["Posted 03/04/2022", "Reader mail", "Related", "Story from 10/18/2021"]
    line = find_dateline(blocks, ["en"])
    assert line is not None and line.index == 0
    assert line.published_at == utc(2022, 3, 4)
    # the same page as British English stays day-first
    line = find_dateline(blocks[:1], ["en"], url="https://example.co.uk/story")
    assert line is not None and line.published_at == utc(2022, 4, 3)


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "2 hours ago", "vor 2 Stunden", "gestern", "Olympia 2022", "Linux 2.6.29",
     "99.99.2022", "31.02.2022", "10 January 1850", "10 January 2150", "\x00\ufffd" * 50,
     "a" * 10_000, "2022" * 1000, 12345, b"2022-01-10"],
)
def test_garbage_never_raises_and_returns_none(text: object) -> None:
    assert parse_published_at(text) is None  # type: ignore[arg-type]


def test_find_dateline_garbage() -> None:
    assert find_dateline([]) is None
    assert find_dateline(["", "Menu", "Olympia 2022", "© 2022 Example"]) is None
    assert find_dateline([None, 3], ["xx"]) is None  # type: ignore[list-item]


def test_header_date_beats_body_related_and_footer_dates() -> None:
    blocks = [
        "Home", "News", "Sport",
        "Brücke gesperrt: Verkehr staut sich",
        "Von Anna Muster",
        "Veröffentlicht am 8. Februar 2022",
        ("Die Brücke war am 3. Januar 2022 bereits einmal gesperrt worden und ist seither "
         "Thema im Stadtrat, der am 15. März 2022 wieder tagt."),
        "Mehr zum Thema",
        "Kurz notiert 9. Februar 2022",
        "Polizeibericht 10. Februar 2022",
        "Wetter 11. Februar 2022",
        "© 2023 Musterverlag, 1. Januar 2023",
    ]
    line = find_dateline(blocks, ["de"])
    assert line is not None
    assert (line.index, line.published_at, line.as_written) == (5, utc(2022, 2, 8), "8. Februar 2022")


def test_comments_after_the_article_do_not_win() -> None:
    blocks = ["Need for speed", "11. August 2015", "Der Text des Artikels.",
              "Kommentare", "12. August 2015 um 8:13", "Toll!", "13. August 2015 um 17:46", "Danke"]
    line = find_dateline(blocks, ["de"])
    assert line is not None and line.index == 1


def test_url_date_chooses_among_candidates() -> None:
    blocks = ["31. Oktober 2023", "Titel", "30. Oktober 2023 Carola Muster Kultur", "Text"]
    url = "https://example.de/2023/10/30/titel/"
    line = find_dateline(blocks, ["de"], url)
    assert line is not None and line.index == 2 and line.published_at == utc(2023, 10, 30)
    # without the hint the first date wins
    assert find_dateline(blocks, ["de"]).index == 0  # type: ignore[union-attr]


def test_url_date_is_the_fallback_when_no_block_parses() -> None:
    line = find_dateline(["Menu", "A headline", "Body text."], ["en"],
                         "https://www.example.com/2022/01/10/a-headline/")
    assert line == Dateline(-1, utc(2022, 1, 10), "2022-01-10")


def test_web_archive_capture_stamp_is_not_a_url_date() -> None:
    url = "https://web.archive.org/web/20140226054445/http://example.com/2013/08/07/story/"
    line = find_dateline(["Menu"], ["de"], url)
    assert line is not None and line.published_at == utc(2013, 8, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Veröffentlicht am 19.10.19 um 14:34 Uhr", utc(2019, 10, 19, 14, 34)),
        ("12.05.98", utc(1998, 5, 12)),
        ("Stand: 07.11.2023, 07:30 Uhr", utc(2023, 11, 7, 7, 30)),
        ("26 | 01 | 2022 Schweiz | Praxis", utc(2022, 1, 26)),
        ("19.2.202016:20päivitetty", utc(2020, 2, 19, 16, 20)),  # blocks glued by the dump
    ],
)
def test_numeric_variants(text: str, expected: datetime) -> None:
    assert parse_published_at(text, ["de"]) == expected


def test_first_date_in_block_wins_and_embeds_are_ignored() -> None:
    line = find_dateline(["Last updated 04 Jun 2020, originally created 17 Jun 2019"], ["en"])
    assert line is not None and line.published_at == utc(2020, 6, 4)
    assert find_dateline(["— Jane (@jane) May 4, 2021", "Body."], ["en"]) is None


def test_a_date_opening_a_long_paragraph_dates_it_but_leaves_it_in_the_text() -> None:
    paragraph = ("01.02.2022 „Der Arbeitsmarkt ist gut in das Jahr 2022 gestartet“, sagte die Vorsitzende am Dienstag "
                 "in Nürnberg. Die Zahl der Arbeitslosen ist im Januar zwar gestiegen, aber weniger als sonst.")
    line = find_dateline(["Arbeitsmarkt im Januar", paragraph], languages=["de"])
    assert line == Dateline(-1, utc(2022, 2, 1), "01.02.2022")
    # A date inside a long paragraph is something the text tells of, not when it was published.
    inside = ("Die Vorsitzende sagte am Dienstag in Nürnberg, der Arbeitsmarkt sei gut in das Jahr gestartet; am "
              "01.02.2022 legte sie die Zahlen vor, und die Zahl der Arbeitslosen ist weniger gestiegen als sonst.")
    assert find_dateline(["Arbeitsmarkt im Januar", inside], languages=["de"]) is None


def test_collapsed_equals_split_and_join() -> None:
    """The date finder's whitespace collapse keeps collapsed blocks as they are and collapses any other."""
    import random

    from pipeline.clean.dates import _collapsed

    pieces = ["word", "Wort", "слово", "語", " ", "  ", "\n", "\t", "\r", "\x0b", "\x1c", "\x85", "\xa0", "\u2000",
              "\u2028", "\u3000", "\u200b", "\u200e", "\x00", "12.03.2024"]
    rng = random.Random(8)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert _collapsed(text) == " ".join(text.split()), repr(text)


# Blocks that vote on the order, parse, repeat, open a paragraph or are footers and embeds.
_ZONE_BLOCKS = [
    "Home", "Posted 03/04/2022", "05/06/2021", "Story from 10/18/2021", "Comment 18/10/2021",
    "Published 07/08/2020", "By Jane Doe", "Updated 04/05/2022 10:30 EST",
    "May 16, 2020", "Veröffentlicht am 8. Februar 2022", "Von Anna Muster", "© 2023 Example, 1. Januar 2023",
    "— Jane (@jane) May 4, 2021", "Kurz notiert 9. Februar 2022", "12. August 2015 um 8:13", "Toll!",
    "01.02.2022 Der Arbeitsmarkt ist gut in das Jahr gestartet, sagte die Behörde am Dienstag in einer "
    "Mitteilung, die auch die Zahlen der Regionen nennt und mit dem Vorjahr vergleicht, wie jedes Jahr.",
    "This sentence of template text holds a date, 2 March 2021, and repeats.", "Olympia 2022", "",
]


@pytest.mark.parametrize("seed", range(100))
def test_page_dates_answers_as_find_dateline_on_the_blanked_page(seed: int) -> None:
    """Each zone's answer, with every block read once per page, is the one-call answer on the page with the
    blocks outside the zone blanked; zones in the order the cleaner asks them share one PageDates."""
    rng = random.Random(seed)
    blocks = [rng.choice(_ZONE_BLOCKS) for _ in range(rng.randint(1, 30))]
    languages = rng.choice([None, ["en"], ["en-US"], ["en-GB"], ["de"], ["fr"]])
    url = rng.choice([None, "https://example.co.uk/story", "https://example.com/2022/03/04/a-story/",
                      "https://example.de/2023/10/30/titel/"])
    dates = PageDates(blocks, languages, url)
    for _ in range(4):
        first = rng.randrange(len(blocks))
        last = rng.randint(first, len(blocks))
        shown = [i for i in range(first, last) if rng.random() < 0.8]
        blanked = [block if i in shown else "" for i, block in enumerate(blocks)]
        assert dates.find(shown) == find_dateline(blanked, languages, url)


def test_the_digit_gate_keeps_the_prefilter_answer() -> None:
    from pipeline.clean.dates import _PREFILTER, _may_hold_date

    rng = random.Random(7)
    alphabet = "ab 19202112./-:٢٠١٣۱۲" + "0123456789"
    texts = ["", "Olympia 2022", "١٢/٠٣/٢٢", "no digits here", *(
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(5000))]
    assert any(_PREFILTER.search(text) for text in texts) and not all(_PREFILTER.search(text) for text in texts)
    for text in texts:
        assert _may_hold_date(text) == (_PREFILTER.search(text) is not None), text


@pytest.mark.parametrize("seed", range(40))
def test_page_dates_of_collapsed_blocks_reads_them_as_they_are(seed: int) -> None:
    """The cleaner's blocks (`split_blocks`, `stored_blocks`) have nothing to collapse: read as they are, they
    give each zone the answer `find_dateline` gives on the blanked page."""
    from pipeline.clean.normalize import split_blocks

    rng = random.Random(seed)
    spaced = [block.replace(" ", rng.choice([" ", "  ", "\t", " \u00a0"])) for block in _ZONE_BLOCKS]
    blocks = split_blocks("\n".join(rng.choice(spaced) for _ in range(rng.randint(1, 30))))
    if not blocks:
        return
    languages = rng.choice([None, ["en"], ["de"]])
    url = rng.choice([None, "https://example.com/2022/03/04/a-story/"])
    dates = PageDates(blocks, languages, url, collapsed=True)
    for _ in range(4):
        first = rng.randrange(len(blocks))
        shown = [i for i in range(first, rng.randint(first, len(blocks))) if rng.random() < 0.8]
        blanked = [block if i in shown else "" for i, block in enumerate(blocks)]
        assert dates.find(shown) == find_dateline(blanked, languages, url)
