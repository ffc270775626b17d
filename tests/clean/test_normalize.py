"""The fast split of stored pages gives exactly the blocks the general split gives, on any text."""

from __future__ import annotations

import random

import numpy as np

from pipeline.clean import normalize
from pipeline.clean.normalize import normalize_page, normalize_text, normalized_blocks, split_blocks, stored_blocks

# Pieces that make texts near the stored form and off it: words, every kind of whitespace, blank lines,
# controls and invisible characters, letters of other scripts.
_PIECES = ["word", "Wort", "mot", "слово", "کلمه", "語", " ", "  ", "\n", "\n\n", "\n\n\n", " \n", "\n ", "\t",
           "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2000", "\u2028", "\u2029", "\u3000", "\u200b", "\u200e",
           "\x00", ".", "«»"]


def test_stored_blocks_equals_split_blocks_on_generated_texts() -> None:
    rng = random.Random(6)
    for _ in range(20_000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))
        assert stored_blocks(text) == split_blocks(text), repr(text)
        stored = normalize_page(text)
        assert stored_blocks(stored) == split_blocks(stored), repr(stored)


def test_stored_blocks_of_a_stored_page_are_its_pieces() -> None:
    stored = normalize_page("Title\n\n  A  first\tparagraph.\r\nSecond one.\u2028Footer")
    assert stored_blocks(stored) == ["Title", "A first paragraph.", "Second one.", "Footer"]
    assert stored_blocks("") == [] and stored_blocks("\n\n") == []



def test_split_blocks_collapses_whitespace_of_every_line() -> None:
    """The general split, fast path or not, gives each non-empty line with its whitespace collapsed."""
    rng = random.Random(9)
    for _ in range(20_000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))
        expected = [" ".join(line.split()) for line in text.split("\n")]
        assert split_blocks(text) == [block for block in expected if block], repr(text)


def test_normalized_blocks_are_the_blocks_of_the_normalized_text() -> None:
    """The fast path for already-normal pages gives what normalizing and then splitting gives."""
    pieces = [*_PIECES, "e\u0301", "\u00e9", "Ã©", "Ã¼", "â€™", "\ufeff", "\u00ad", "\u202f"]
    rng = random.Random(11)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert normalized_blocks(text) == split_blocks(normalize_text(text)), repr(text)
        assert normalize_page(text) == "\n\n".join(split_blocks(normalize_text(text))), repr(text)
        # What ingestion fingerprints are the blocks the cleaning splits the stored page into.
        assert stored_blocks(normalize_page(text)) == normalized_blocks(text), repr(text)


def _texts(seed: int, count: int) -> list[str]:
    """Texts near the stored form and off it, with code points past the compiled check's table."""
    rng = random.Random(seed)
    pieces = [*_PIECES, "A b", "x", "\U0001f600", "\U00020000", "\U000e0001", "\U0010fffd", "\ud800"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(count)]


def test_the_compiled_stored_form_check_answers_as_the_string_tests() -> None:
    """The kernel's verdict on each text (numba JIT, and through `stored_blocks`' caller with the build) is the
    Python tests' on its pieces; it declines (-1) only a text holding a code point past its table."""
    from pipeline.clean import word_kernels

    table = normalize._printable()
    for text in [*_texts(7, 20_000), *(normalize_page(text) for text in _texts(8, 5_000))]:
        cps = np.frombuffer(bytearray(text.encode("utf-32-le", "surrogatepass")), dtype="<u4")
        verdict = word_kernels.stored_form(cps, table)
        if verdict < 0:
            assert max(map(ord, text)) >= len(table), repr(text)
            continue
        assert verdict == normalize._pieces_are_blocks(text, text.split("\n\n")), repr(text)
        assert stored_blocks(text) == split_blocks(text), repr(text)

