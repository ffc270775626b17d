"""The compiled stop-word count: the words and stop words of the regex and the set, whichever path counts."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import numpy as np

from pipeline.clean import normalize, word_counts, word_kernels
from pipeline.clean.classify import _FOLD_SPLITS, _count_stopwords, block_evidence, page_evidence
from pipeline.clean.stopwords import stopwords
from tests.support import output_without_and_with_build

# Stop words, words that hold one or are held by one, case that folds to two letters or across a word's
# edge ('İ', 'ΐ', U+0345), underscores, digits, punctuation, CJK, an emoji, odd spaces and the separator.
ALPHABET = [*"aeiouTHEDERßİIı_0123'’,.-—«»:;!?()ΣςσÉÀŉΐῦ\u0345\u00a0\u3000 东京😀\x00",
            "the ", "The ", "them ", "th ", "DER ", "die ", "Über ", "and ", "et ", "le ", "les ", "du ",
            "lequel ", "aujourd'hui ", "nicht ", "niche "]


def _pages(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(rng.randint(0, 8))]
            for _ in range(count)]


def _kernel_counts(kernel, blocks: list[str], stops: frozenset[str]) -> list[tuple[int, int]]:  # noqa: ANN001
    folded = "\x00".join(blocks).casefold()
    cps = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype="<u4").copy()
    words, hits = kernel(cps, word_counts.word_characters(), *word_counts._stop_table(stops), len(blocks))
    return list(zip(words.tolist(), hits.tolist(), strict=True))


def test_word_characters_are_those_of_the_regex() -> None:
    """`\\w` is `str.isalnum` or '_' for `re` on str patterns: the table marks exactly those code points."""
    everything = np.arange(sys.maxunicode + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    expected = np.frombuffer(bytes(map(str.isalnum, everything)), dtype=np.bool_).copy()
    expected[ord("_")] = True
    assert np.array_equal(word_counts.word_characters(), expected)


def test_the_kernel_counts_what_the_regex_and_the_set_count() -> None:
    """Per block, the loop's words and stop words are `_count_stopwords`' (which a test of the classifier pins
    to `\\w+` and a casefold of each word), on blocks the whole-page casefold leaves word by word alike."""
    for language in ("en", "de", "fr", None):
        stops = stopwords(language)
        for blocks in _pages(3, 600):
            if any("\x00" in block or _FOLD_SPLITS.search(block) for block in blocks):
                continue
            expected = [_count_stopwords(block, stops) for block in blocks]
            assert _kernel_counts(word_kernels.stopword_counts, blocks, stops) == expected, blocks


def test_page_evidence_is_each_blocks_evidence() -> None:
    """The page-wide count gives every block the evidence it has alone, whatever the page holds (a block with
    the separator, one whose folding crosses a word's edge), built kernels or not."""
    for language in ("en", "de", "fr", "xx"):
        stops = stopwords(language)
        for blocks in _pages(4, 800):
            assert page_evidence(blocks, language) == [block_evidence(block, stops) for block in blocks], blocks


def test_the_stop_table_finds_every_stop_word_and_nothing_else() -> None:
    """Every word of the biggest lists is found, in probe chains of a table a quarter full; its prefixes and
    extensions, which hash elsewhere or compare unequal, are not."""
    stops = stopwords(None)
    words = sorted(word for word in stops if word.isalnum())
    blocks = [" ".join(words), " ".join(word + "x" for word in words), " ".join(word[:-1] for word in words)]
    expected = [_count_stopwords(block, stops) for block in blocks]
    assert expected[0] == (len(words), len(words))
    assert _kernel_counts(word_kernels.stopword_counts, blocks, stops) == expected


def test_ahead_of_time_build_counts_as_the_jit_and_loads_without_numba(tmp_path: Path) -> None:
    """`python -m pipeline.langid_build` compiles the count into a module that gives numba's answers and that
    a process loads without importing numba."""
    from pipeline import langid_build

    built = langid_build.build_words(tmp_path)
    spec = importlib.util.spec_from_file_location(word_counts.aot_module_name(), built)
    assert spec is not None and spec.loader is not None
    aot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(aot)
    for language in ("en", "pl"):
        stops = stopwords(language)
        for blocks in _pages(5, 200):
            blocks = [block.replace("\x00", "") for block in blocks]
            assert _kernel_counts(aot.stopword_counts, blocks, stops) == \
                _kernel_counts(word_kernels.stopword_counts, blocks, stops), blocks
    for blocks in _literal_pages(6, 300):
        assert np.array_equal(_literal_hits(aot.literal_hits, blocks), _literal_hits(word_kernels.literal_hits, blocks))
    printable = normalize._printable()
    for text in _stored_form_texts(9, 3000):
        cps = np.frombuffer(bytearray(text.encode("utf-32-le", "surrogatepass")), dtype="<u4")
        assert aot.stored_form(cps, printable) == word_kernels.stored_form(cps, printable), repr(text)

    script = ("import sys\nfrom pipeline.clean import classify, word_counts\n"
              "e = classify.page_evidence(['The cat and the dog.', 'Menu'], 'en')\n"
              "print(word_counts.available(), [(x.words, x.stopword_share) for x in e], 'numba' in sys.modules)\n")
    python, compiled = output_without_and_with_build(tmp_path, script, [built])
    assert python == "False [(5, 0.6), (1, 0.0)] False\n"
    assert compiled == "True [(5, 0.6), (1, 0.0)] False\n"


# The gates' literals and look-alikes: one code point, two sharing their first two, one inside another, astral.
LITERALS = ("©", ":", "/", "log", "login", "sign", "si", "cookie", "cookies", "réservés", "защищены", "😀x",
            "ab", "ba", "aba", "a", "\u0130")


def _literal_pages(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    pieces = [*LITERALS, "lo", "g", "c", "oo", "kie", "réserv", "é", "защ", "😀", "x", " ", "b", "\u0131", "\x00"]
    return [["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(0, 9))]
            for _ in range(count)]


def _stored_form_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["A b", "Wort", "語", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "\x00", "\xa0", "\u2028", "\U00020000",
              "\U0010fffd"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(count)]


def _literal_hits(kernel, blocks: list[str]) -> np.ndarray:  # noqa: ANN001 - a compiled function
    from pipeline.clean.page_literals import _table

    blocks = [block.replace("\x00", "") for block in blocks]
    cps = np.frombuffer("\x00".join(blocks).encode("utf-32-le", "surrogatepass"), dtype="<u4").copy()
    return kernel(cps, len(blocks), *_table(LITERALS))


def test_the_literal_kernel_finds_what_in_finds() -> None:
    """held[block, j] is `LITERALS[j] in block`, for literals of one code point and more, sharing their first
    two, held inside each other, astral; blocks empty, at the page's ends or of one code point."""
    found = 0
    for blocks in _literal_pages(7, 1500):
        blocks = [block.replace("\x00", "") for block in blocks]
        expected = np.array([[literal in block for literal in LITERALS] for block in blocks], dtype=np.bool_)
        held = _literal_hits(word_kernels.literal_hits, blocks)
        assert np.array_equal(held, expected.reshape(len(blocks), len(LITERALS))), blocks
        found += int(held.sum())
    assert found > 1000


def test_blocks_holding_answers_as_the_page_scans_do() -> None:
    """Built kernels or not, with the separator in a block or not: each block's literals in LITERALS' order."""
    from pipeline.clean.page_literals import blocks_holding

    for blocks in _literal_pages(8, 800):
        expected = [tuple(literal for literal in LITERALS if literal in block) for block in blocks]
        assert blocks_holding(LITERALS, blocks) == expected, blocks


def test_long_blocks_head_nothing() -> None:
    """page_evidence gives a block longer than COMMENT_COUNT_MAX_WORDS no heading without asking the cues:
    the section cues are asked only of shorter blocks still."""
    from pipeline.clean.classify import BOUNDARY_MAX_WORDS, COMMENT_COUNT_MAX_WORDS, _heading

    assert BOUNDARY_MAX_WORDS <= COMMENT_COUNT_MAX_WORDS
    assert _heading("Comments", 1) and not _heading("Comments", COMMENT_COUNT_MAX_WORDS + 1)
    assert not _heading("12 comments on this", COMMENT_COUNT_MAX_WORDS + 1)


def test_page_evidence_finds_the_section_headings() -> None:
    """The ASCII gate of the section cues (looked for in the casefolded page) keeps every heading the cues
    find: page_evidence equals block_evidence on pages of headings in several scripts among prose."""
    headings = ["Comments", "3 comments", "RELATED ARTICLES", "Read more:", "Kommentare", "Комментарии", "Tags",
                "Mehr zum Thema Politik", "À lire aussi", "Lees ook", "You may also like these", "Über den Autor",
                "Leave a reply", "Topics", "Share this story", "Reacties (4)", "Mots-clés", "\u0130lgili"]
    prose = ["The council voted on the budget and the plan.", "Die Stadt hat den Plan nicht beschlossen.",
             "menu", "Home", "a", "\x00", "Ta\u0130"]
    rng = random.Random(9)
    found = 0
    for language in ("en", "de", "fr"):
        stops = stopwords(language)
        for _ in range(300):
            blocks = [rng.choice(headings if rng.random() < 0.4 else prose) for _ in range(rng.randint(1, 12))]
            expected = [block_evidence(block, stops) for block in blocks]
            assert page_evidence(blocks, language) == expected, blocks
            found += sum(evidence.heading != 0 for evidence in expected)
    assert found > 500
