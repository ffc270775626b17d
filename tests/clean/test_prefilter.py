"""The literal gate before a regex must never change what the regex finds."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.clean.cues import APPEAL_PHRASE, CAPTION_CREDIT, CHROME_PHRASE
from pipeline.clean.prefilter import (
    _ODD_CASE_PARTNERS,
    BranchedPattern,
    GatedPattern,
    OpeningBranches,
    alternatives,
    ascii_literals,
    opening_class,
    required_literals,
)


def test_literals_of_a_small_pattern() -> None:
    assert required_literals(re.compile(r"\bcookies?\b|privacy\s+policy|s[ií]guenos\s+en")) == (
        "cookie", "guenos", "privacy")
    # Each branch is covered by its longest literal; one containing another is dropped.
    assert required_literals(re.compile(r"(sign\s+up|sign\s?in)|(ab)+c")) == ("ab", "sign")


def test_no_literals_when_a_branch_can_match_without_one() -> None:
    assert required_literals(re.compile(r"cookie|\d{4}")) is None
    assert required_literals(re.compile(r"(?:cookie)?\s+")) is None
    assert required_literals(re.compile(r"a(?i:cookie)")) == ("a",)
    # Case-insensitive: lowercase ASCII letters and caseless characters only; 'é' has case, so it parts 'crédit'.
    assert required_literals(re.compile(r"Cookie|crédit|[:©]\s*\w", re.IGNORECASE)) == (":", "©", "dit", "cookie")
    assert required_literals(re.compile(r"été", re.IGNORECASE)) == ("t",)
    assert required_literals(re.compile(r"éÉ", re.IGNORECASE)) is None


def test_the_odd_case_partners_are_all_there_are() -> None:
    """The characters besides A-Z/a-z that a case-insensitive ASCII letter matches: the gate relies on
    knowing all of them."""
    odd = [chr(code) for code in range(0x80, 0x110000) if re.fullmatch("[a-z]", chr(code), re.IGNORECASE)]
    assert sorted(odd) == sorted(_ODD_CASE_PARTNERS)


def test_case_insensitive_gate() -> None:
    gate = GatedPattern(re.compile(r"\bcookies?\b|\(photo\)", re.IGNORECASE))
    for text in ["COOKIES here", "a (Photo)", "co\u212aies", "\u0130", "no match", "cookıe", "(PHOTO"]:
        assert bool(gate.search(text)) == bool(gate.pattern.search(text)), text
    assert gate.search("COOKIE")
    assert not gate.may_match("a plain sentence")
    # A search from `pos` tests only the text from there on.
    assert gate.search("cookie and then a long tail", 7) is None


@pytest.mark.parametrize("pattern", [CHROME_PHRASE, APPEAL_PHRASE, CAPTION_CREDIT], ids=["chrome", "appeal", "credit"])
def test_gate_finds_what_the_pattern_finds(pattern: re.Pattern[str]) -> None:
    gate = GatedPattern(pattern)
    assert gate.literals, "the phrase list should have literals to test first"
    rng = random.Random(7)
    # Texts built from the phrase lists' own words, ordinary words and punctuation: many match, many not.
    words = [w for literal in gate.literals for w in literal.split()] + [
        "the", "to", "on", "us", "our", "your", "der", "uns", "auf", "page", "2023", "(c)", "©", "free", "account",
        "policy", "settings", "of", "use", "and", "conditions", "rights", "all", "se", "nous", "votre", ",", ".",
        "(Photo:", "Getty", "Images)", "/", "AFP", "Crédit", ":", "Credit:", "ESA", "PHOTO", "\u017fupport", "I\u0307"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    texts += ["all rights reserved", "follow us on twitter", "sign up for our newsletter", "(c) 2024 the site",
              "support our journalism", "faire un don", "a report on the city council", ""]
    matched = 0
    for text in texts:
        assert gate.findall(text) == pattern.findall(text), text
        assert gate.count(text, 2) == min(len(pattern.findall(text)), 2), text
        assert bool(gate.search(text)) == bool(pattern.search(text)), text
        tail = max(0, len(text) - 20)
        assert bool(gate.search(text, tail)) == bool(pattern.search(text, tail)), text
        matched += bool(pattern.search(text))
    assert 100 < matched < len(texts) - 100  # the texts exercised both outcomes


def _page_blocks(rng: random.Random) -> list[str]:
    """A page of blocks with the cue lists' phrases among prose, in both cases and inside words."""
    from pipeline.bench_corpus import generate

    phrases = ["Cookie settings", "Sign up for our newsletter", "Jetzt spenden!", "Support our journalism",
               "Become a member", "Foto: Reuters", "Follow us on X", "Soutenez-nous", "Hazte socio", "blog",
               "Wesprzyj nas", "(c) 2024", "© Agency", "Please donate today to support independent journalism.",
               "Foto: \u0130stanbul", "\u017fhutter\u017ftock", "Share", "Teilen:", "Комментарии", "Read more",
               "KOMMENTARE", "Publicité", "Log in", "Follow us on our channels", "sign\u0130n", "Home"]
    page = next(generate(1, seed=rng.randrange(10_000)))
    blocks = [block for block in page.text.split("\n") if block.strip()]
    for _ in range(rng.randint(0, 6)):
        phrase = rng.choice(phrases)
        phrase = phrase.upper() if rng.random() < 0.2 else phrase
        position = rng.randrange(len(blocks) + 1)
        blocks.insert(position, phrase if rng.random() < 0.5 else f"{rng.choice(blocks)} {phrase}")
    return blocks


def test_page_chrome_equals_the_per_block_rules() -> None:
    """Narrowing the gates to the literals a page holds changes no block's reason and no appeal."""
    from pipeline.clean.chrome import PageChrome, appeal_blocks, chrome_reason

    rng = random.Random(7)
    for _ in range(150):
        blocks = _page_blocks(rng)
        chrome = PageChrome(blocks)
        expected = [chrome_reason(block) for block in blocks]
        assert [chrome.reason(i) for i in range(len(blocks))] == expected
        assert chrome.reasons(range(len(blocks))) == {i: reason for i, reason in enumerate(expected) if reason}
        assert chrome.appeals() == appeal_blocks(blocks)


@pytest.mark.parametrize("make", [GatedPattern, BranchedPattern.of], ids=["gated", "branched"])
def test_lowered_gate_of_a_page_finds_what_the_pattern_finds(make) -> None:  # noqa: ANN001 - a constructor
    """A case-insensitive gate narrowed to a page's lowercase answers on each block's lowercase as the
    pattern does on the block, from any position; a page with an odd case partner gets no such gate."""
    gate = make(CAPTION_CREDIT)
    rng = random.Random(11)
    words = ["(Photo:", "Getty", "Images)", "/", "AFP", "Crédit", ":", "Credit:", "ESA", "PHOTO", "foto", "Bild",
             "the", "city", "Reuters", "via", "ap", ")", "©", "Quelle:", "dpa", "\u212a", "ISTOCK", "σ", "ΑΣ"]
    pages, gated = 0, 0
    for _ in range(600):
        blocks = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 10))) for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.1:
            blocks.append(rng.choice(["\u0130stanbul foto", "\u017fhutter\u017ftock", "bıld", "I\u0307"]))
        lowered = [block.lower() for block in blocks]
        page_gate = gate.within_lowered("\n\n".join(lowered))
        pages += 1
        if page_gate is None:
            assert any(odd in "".join(blocks) for odd in ("\u0130", "\u0131", "\u017f", "\u0307"))
            continue
        gated += 1
        for block, low in zip(blocks, lowered, strict=True):
            for pos in (0, max(0, len(block) - 20), len(block) // 2):
                expected = CAPTION_CREDIT.search(block, pos)
                found = page_gate.search_lowered(block, low, pos)
                assert (found and found.span()) == (expected and expected.span()), (block, pos)
    assert 0 < gated < pages


def test_alternatives_of_a_phrase_list() -> None:
    assert alternatives(re.compile(r"(a[|)]b|c\|d|(e|f))")) == ("a[|)]b", "c\\|d", "(e|f)")
    assert alternatives(re.compile(r"([]|]x|y)")) == ("[]|]x", "y")
    assert alternatives(re.compile(r"(a)(b)")) is None and alternatives(re.compile(r"a|b")) is None
    assert alternatives(re.compile(r"(\ba|\bb)")) is None  # the parser takes the common '\b' out: left whole
    assert alternatives(re.compile(r"(a|b)\1")) is None
    assert len(alternatives(CHROME_PHRASE) or ()) > 40


def test_branched_phrase_list_counts_what_the_pattern_finds() -> None:
    """Run with only the alternatives whose literals a text holds, over a page's narrowed literals too,
    the phrase list counts the matches the whole list finds."""
    gate = BranchedPattern.of(CHROME_PHRASE)
    assert isinstance(gate, BranchedPattern)
    rng = random.Random(5)
    words = [w for literal in gate.literals for w in literal.split()] + [
        "the", "to", "on", "us", "our", "blog", "login", "sign", "up", "in", "posted", "this", "entry", "was",
        "follow", "me", "twitter", "privacy", "policy", "(c)", "2024", "©", "terms", "of", "use", ",", "."]
    matched = 0
    for _ in range(400):
        blocks = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(rng.randint(1, 6))]
        page = gate.within("\n\n".join(blocks))
        for block in blocks:
            expected = min(len(CHROME_PHRASE.findall(block)), 2)
            assert gate.count(block, 2) == expected == page.count(block, 2), block
            assert page.count(block, 1) == min(expected, 1)
            matched += expected > 0
    assert matched > 100


def test_pieces_holding_finds_each_literal_in_each_piece() -> None:
    """One scan of the joined pieces per literal says which pieces hold it: none missed; a hit across the
    separator (a piece holding the separator itself) may add a literal, never drop one."""
    from pipeline.clean.prefilter import Pieces

    rng = random.Random(3)
    alphabet = ["ab", "a", "b", "c", "\n", " ", "ba", "©", "\u0130"]
    literals = ("a", "ab", "b\nc", "c", "©", "aba", "\n\na")
    for _ in range(3000):
        pieces = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 6))]
        held = Pieces(pieces).holding(literals)
        assert len(held) == len(pieces)
        for piece, found in zip(pieces, held, strict=True):
            expected = {literal for literal in literals if literal in piece}
            assert expected <= set(found), (pieces, piece, found)
            # Literals without a newline cannot cross it: for them the answer is exact.
            assert {literal for literal in found if "\n" not in literal} == \
                {literal for literal in expected if "\n" not in literal}, (pieces, piece, found)


def test_page_chrome_lowers_each_block_as_alone() -> None:
    """The page is lowercased as one text: a final sigma at a block's end or start, 'İ', marks and the
    separator inside a block give each block the lowercase it has alone."""
    from pipeline.clean.chrome import PageChrome

    rng = random.Random(17)
    pieces = ["Σ", "ΟΔΟΣ", "σ", "ς", " ", "'", "\u0301", "A", "İ", "ß", "\x00", ".", "Ǆ", "ﬀ", "1"]
    for _ in range(3000):
        blocks = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 5))]
        assert PageChrome(blocks).lowered == [block.lower() for block in blocks], blocks


def test_ascii_literals_of_small_patterns() -> None:
    """Alternatives in another script or with a non-ASCII letter match no ASCII text and need no literal; the
    odd case partners match ASCII letters, so they end a literal run instead."""
    assert ascii_literals(re.compile(r"^(читайте|share|publicité)\s*$", re.IGNORECASE)) == ("share",)
    assert ascii_literals(re.compile(r"^(читайте|поделиться)$", re.IGNORECASE)) == ()
    assert ascii_literals(re.compile(r"^(\d+|share)$", re.IGNORECASE)) is None
    assert ascii_literals(re.compile(r"^(lo\u017fe|[éè]x|[ée]y)$", re.IGNORECASE)) == ("e", "lo")
    assert ascii_literals(re.compile(r"(?:café)?menu", re.IGNORECASE)) == ("menu",)
    with pytest.raises(ValueError):
        ascii_literals(re.compile("share"))


def test_no_other_non_ascii_letter_matches_an_ascii_one() -> None:
    """`ascii_literals` rules out alternatives needing a non-ASCII character in ASCII texts: only the four odd
    case partners match an ASCII character case-insensitively, seen from the pattern's side too."""
    import _sre
    import sys

    text = "".join(map(chr, range(128)))
    matching = [code for code in range(128, sys.maxunicode + 1)
                if _sre.unicode_iscased(code) and re.search(re.escape(chr(code)), text, re.IGNORECASE)]
    assert sorted(map(chr, matching)) == sorted(_ODD_CASE_PARTNERS)


@pytest.mark.parametrize("name", ["CHROME_BLOCK", "SECTION_BOUNDARY"])
def test_ascii_gate_of_the_block_cues(name: str) -> None:
    """Every ASCII text a whole-block cue list matches holds one of its ASCII literals, lowercased."""
    from pipeline.clean import cues

    pattern = getattr(cues, name)
    literals = ascii_literals(pattern)
    assert literals
    words = [w for literal in literals for w in (literal, literal.upper(), literal.title())] + [
        "the", "to", "on", "us", "3", "12", ":", "!", ".", "about", "a", "comments", "of", "in", "-", "zum", "Thema"]
    rng = random.Random(21)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(20000)]
    matched = 0
    for text in texts:
        if pattern.match(text):
            matched += 1
            assert any(literal in text.lower() for literal in literals), text
    assert matched > 500


def test_no_block_holding_a_space_is_a_lone_link() -> None:
    """The link rule asks `_URL_ONLY` only of blocks without a space: both its forms are one run of non-spaces."""
    from pipeline.clean.chrome import _URL_ONLY

    rng = random.Random(12)
    pieces = ["http://", "https://", "www.", "a@b.de", "x", ".", "@", " ", "\n", "\t", "\u00a0", "é", "/path", "HTTP://"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(30_000)]
    assert any(_URL_ONLY.match(text) for text in texts if " " not in text)
    assert not any(_URL_ONLY.match(text) for text in texts if " " in text)


def test_opening_class_of_small_patterns() -> None:
    """The characters a match can begin with, past anchors and into groups, branches and repeats; none
    known when a match may begin anywhere or with nothing."""
    opening = opening_class(re.compile(r"^(share|\d+\s+comments?|(?:читайте|lue)\s+)[\s:]*$", re.IGNORECASE))
    assert opening is not None
    for character in ["s", "S", "\u017f", "7", "\u0663", "ч", "Ч", "l", "L"]:  # 'ſ' is an 's'; '٣' a digit
        assert opening.match(character), character
    for character in ["c", "x", " ", ":", "ш", ""]:
        assert not opening.match(character), character
    assert opening_class(re.compile(r"\b[a-c][^x]|(?=q)q")).pattern == "[a-cq]"
    for nullable_or_any in [r"(?:a)?b", r"a*b", r"(a|b?)c", r".x", r"[^a]b", r"(a?)b", r"|a", r"(?i:a)b"]:
        assert opening_class(re.compile(nullable_or_any)) is None, nullable_or_any


def test_opening_branches_of_small_patterns() -> None:
    """Only a group of alternatives after zero-width parts is narrowed; any other pattern runs whole."""
    narrowed = OpeningBranches(re.compile(r"^(share|menu|\d+ comments?|a?b)[\s:]*$", re.IGNORECASE))
    assert [branch for branch, _ in narrowed._branches] == ["share", "menu", r"\d+ comments?", "a?b"]
    for text in ["Share:", "MENU", "12 Comments", "b", "ab", "x", "", "\u017fhare", "menus"]:
        found, expected = narrowed.match(text), narrowed.pattern.match(text)
        assert (found and found.span()) == (expected and expected.span()), text
    for whole in [r"\s*(a|b)", r"x(a|b)", r"[(](a|b)", r"(?:a|b)(c|d)", r"(a|b)(c)"]:
        assert not OpeningBranches(re.compile(whole))._branches or whole == r"(a|b)(c)", whole


@pytest.mark.parametrize("name", ["CHROME_BLOCK", "SECTION_BOUNDARY"])
def test_opening_branches_match_what_the_pattern_matches(name: str) -> None:
    """The narrowed alternatives match what the whole list matches: on texts the list matches with their first
    character swapped for every code point of the scripts with case (and digits, signs, the case oddities) and
    of the other planes, and on random
    texts of its own words in several cases."""
    from pipeline.clean import cues

    pattern = getattr(cues, name)
    narrowed = OpeningBranches(pattern)
    assert narrowed._branches
    samples = ["Comments", "Share this story", "12 comments", "Читайте также", "Publicité", "Lue myös", "Czytaj też",
               "Related articles", "Kommentare", "Read more:", "Leave a reply", "Mehr zum Thema", "À lire aussi",
               "Lees ook", "Комментарии", "You may also like", "Suscríbete", "Udostępnij", "Kommentit", "Tags",
               "Read also: the plan", "Lesen Sie auch", "Reacties (4)", "Se connecter", "Mots-clés"]
    matching = [sample for sample in samples if pattern.match(sample)]
    assert len(matching) >= 3
    planes = [(0, 0x3000), (0x1c80, 0x1c90), (0x1e00, 0x2200), (0xa640, 0xa800), (0xab70, 0xabc0), (0xfb00, 0xfb50),
              (0xff00, 0xfff0)]
    firsts = [chr(code) for first, last in planes for code in range(first, last)] + ["\U0001d7ce", "\U00010400",
                                                                                      "\U0001e922"]
    for sample in matching:
        for first in firsts:
            text = first + sample[1:]
            found, expected = narrowed.match(text), pattern.match(text)
            assert (found and found.span()) == (expected and expected.span()), text
    rng = random.Random(5)
    words = [w for sample in samples for w in (sample, sample.upper(), sample.lower())] + ["the", "3", ":", " ", "é"]
    for _ in range(5000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        found, expected = narrowed.match(text), pattern.match(text)
        assert (found and found.span()) == (expected and expected.span()), text
