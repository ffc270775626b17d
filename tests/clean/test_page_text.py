"""A page's shared forms (pipeline.clean.page_text): what each rule read on its own, read once."""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.clean import page_text
from pipeline.clean.chrome import GATE_LITERALS, PageChrome, chrome_reason
from pipeline.clean.classify import PAGE_LITERALS, block_evidence, count_body_words, count_words, page_evidence
from pipeline.clean.page_literals import blocks_holding
from pipeline.clean.page_text import PageText
from pipeline.clean.stopwords import stopwords
from tests.clean.test_word_counts import _pages


def test_the_characters_folding_otherwise_are_all_there_are() -> None:
    """Rebuilt from this Python's Unicode tables: every character whose casefold is not its lowercase, all in
    the first plane; 'Σ' lowercases to 'ς' (listed) or to its casefold."""
    expected = [chr(code) for code in range(sys.maxunicode + 1)
                if not 0xD800 <= code < 0xE000 and chr(code).casefold() != chr(code).lower()]
    assert page_text.folding_otherwise() == expected
    assert "\u03c2" in expected and "ΟΔΟΣ".lower()[-1] == "\u03c2"
    assert "\u03a3".casefold() == "\u03a3".lower() == "\u03c3"
    assert all(ord(lowered) < 0x10000 for character in expected for lowered in character.lower())


def test_unspaced_characters_are_their_own_lowercase_and_no_others() -> None:
    """A page's lowercase holds a character of a script written without spaces exactly where the page does."""
    unspaced = re.compile(f"[{page_text.UNSPACED_CHARACTERS}]")
    for code in range(sys.maxunicode + 1):
        if not 0xD800 <= code < 0xE000:
            character = chr(code)
            assert bool(unspaced.search(character.lower())) == bool(unspaced.match(character)), hex(code)


def test_page_text_forms_are_those_of_the_blocks() -> None:
    """The lowercase of each block, the casefold of the page, the code points and the literals each block's
    lowercase holds are what each rule computed alone: on pages with the separator in a block, 'ß', sigmas,
    'İ' and odd folds."""
    extra = ["Straße", "ΟΔΟΣ ΟΔΟΣ.", "ΣΑΣ", "ﬁn", "Σ", "ᏸ", "ꭰ", "Ꭰ", "ẞ", "İstanbul", "the cookie policy",
             "Read also", "© 2024", "ภาษาไทย", "한국어"]
    rng = random.Random(13)
    literals = ("the", "ss", "σ", "ς", "©", ":", "oo", "i\u0307")
    folded_as_lowered = folded_apart = 0
    for blocks in _pages(17, 1500):
        blocks = [block + rng.choice(extra) if rng.random() < 0.3 else block for block in blocks]
        text = PageText(blocks, literals)
        assert text.lowered_blocks == [block.lower() for block in blocks]
        assert text.held() == blocks_holding(literals, text.lowered_blocks), blocks
        if not blocks or any("\x00" in block for block in blocks):  # no join tells the blocks apart
            assert text.joined is None and text.folded() is None
            continue
        assert text.lowered == "\x00".join(blocks).lower()
        assert text.folded() == "\x00".join(blocks).casefold(), blocks
        folded_as_lowered += text.folded() is text.lowered
        folded_apart += text.folded() is not text.lowered
        expected_points = np.frombuffer(text.lowered.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        assert np.array_equal(text.points(text.lowered), expected_points)
        assert text.points(text.joined) is None or text.joined is text.lowered
        assert text.unspaced() == any(re.search(f"[{page_text.UNSPACED_CHARACTERS}]", block) for block in blocks)
    assert folded_as_lowered > 30 and folded_apart > 300  # both ways exercised


def test_rules_given_the_page_text_answer_as_without_it() -> None:
    """page_evidence and PageChrome read the page's shared forms as they read their own."""
    headings = ["Comments", "3 comments", "RELATED ARTICLES", "Read more:", "Kommentare", "Tags", "Straße",
                "Share this story", "Cookie settings", "Foto: Reuters", "ΣΧΟΛΙΑ", "Leave a reply", "Topics"]
    for language in ("en", "de", "el", "xx"):
        stops = stopwords(language)
        rng = random.Random(len(language))
        for blocks in _pages(5, 400):
            blocks = [rng.choice(headings) if rng.random() < 0.3 else block for block in blocks]
            text = PageText(blocks, PAGE_LITERALS)
            evidence = page_evidence(blocks, language, text)
            assert evidence == [block_evidence(block, stops) for block in blocks]
            body = "\n\n".join(blocks)
            assert count_body_words(body, evidence, text.unspaced()) == count_words(body), blocks
            chrome = PageChrome(blocks, text)
            assert [chrome.reason(i) for i in range(len(blocks))] == [chrome_reason(block) for block in blocks]
            assert chrome.appeals() == PageChrome(blocks).appeals()
    assert PAGE_LITERALS[:len(GATE_LITERALS)] == GATE_LITERALS


def test_the_page_text_answers_alike_without_the_build(tmp_path: Path) -> None:
    """Without the compiled kernels (the literals found by `Pieces`, the words counted in Python) the rules
    reading a PageText answer as with them."""
    from pipeline.clean import word_counts
    from tests.support import output_without_and_with_build

    installed = next(Path(word_counts.__file__).parents[1].glob(f"{word_counts.aot_module_name()}.*"), None)
    if installed is None:
        pytest.skip("the kernels are not built")
    built = tmp_path / "build" / installed.name
    built.parent.mkdir()
    shutil.copy(installed, built)
    script = ("from pipeline.clean import word_counts\n"
              "from pipeline.clean.chrome import PageChrome\n"
              "from pipeline.clean.classify import PAGE_LITERALS, page_evidence\n"
              "from pipeline.clean.page_text import PageText\n"
              "blocks = ['Share', 'Straße und Cookie settings', 'The cat and the dog sat on the mat.', 'Read more:',\n"
              "          '© 2024 Agency', 'Комментарии', 'ΟΔΟΣ', '東京', 'Comments (3)', 'Related articles']\n"
              "text = PageText(blocks, PAGE_LITERALS)\n"
              "print(word_counts.available())\n"
              "evidence = [(e.words, e.stopword_share, e.heading) for e in page_evidence(blocks, 'de', text)]\n"
              "print(PageChrome(blocks, text).reasons(range(len(blocks))), evidence, text.unspaced(),\n"
              "      text.folded() == '\\x00'.join(blocks).casefold())\n")
    python, compiled = output_without_and_with_build(tmp_path, script, [built])
    assert python.startswith("False\n") and compiled.startswith("True\n")
    assert python.split("\n", 1)[1] == compiled.split("\n", 1)[1]
    assert "'interface'" in compiled and "True" in compiled.split("\n", 1)[1]
