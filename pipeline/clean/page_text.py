"""A page's blocks as one text, lowercased, casefolded and searched for the gates' literals once for all rules.

The chrome rules read each block's lowercase and the literals it holds; the stop-word count reads the page's
casefold. Each was a join, a case mapping and an encoding to code points of the whole page (~60 us of a
bench page); most pages hold no character whose casefold is not its lowercase, and there the stop-word
count reads the lowercase and its code points as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pipeline.aot_builds import code_points
from pipeline.clean.page_literals import hit_positions
from pipeline.clean.prefilter import Pieces
from pipeline.clean.word_counts import SEPARATOR

_SEPARATOR = chr(SEPARATOR)
# The characters whose casefold is not their lowercase ('ß', 'ſ', final 'ς', Cherokee, Greek with iota,
# ligatures; a test rebuilds the list from Unicode), as ranges of a character class. All lie in the first plane.
_FOLDS_OTHERWISE = (
    "\u00b5\u00df\u0149\u017f\u01f0\u0345\u0390\u03b0\u03c2\u03d0-\u03d1\u03d5-\u03d6\u03f0-\u03f1\u03f5"
    "\u0587\u13a0-\u13f5\u13f8-\u13fd\u1c80-\u1c88\u1e96-\u1e9b\u1e9e\u1f50\u1f52\u1f54\u1f56\u1f80-\u1faf"
    "\u1fb2-\u1fb4\u1fb6-\u1fb7\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fc7\u1fcc\u1fd2-\u1fd3\u1fd6-\u1fd7"
    "\u1fe2-\u1fe4\u1fe6-\u1fe7\u1ff2-\u1ff4\u1ff6-\u1ff7\u1ffc\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17")


# Scripts written without spaces (kana, CJK, Hangul, Thai), as ranges of a character class: the cleaner counts
# their characters apart from words (pipeline.clean.classify).
UNSPACED_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f"
# What `_lowercase_marks` marks: a character in the lowercase of one folding otherwise, one of UNSPACED_CHARACTERS.
_FOLDS, _UNSPACED = 1, 2


def _ranges(ranges: str) -> list[tuple[int, int]]:
    """The first and last code points of each range of a character class's members ('a-z', 'é')."""
    return [(ord(first), ord(last or first)) for first, last in re.findall(r"(.)(?:-(.))?", ranges, re.DOTALL)]


def _characters(ranges: str) -> list[str]:
    return [chr(code) for first, last in _ranges(ranges) for code in range(first, last + 1)]


def folding_otherwise() -> list[str]:
    """The characters of _FOLDS_OTHERWISE."""
    return _characters(_FOLDS_OTHERWISE)


def _lowercase_marks() -> np.ndarray:
    """For each code point of the first plane (and one past it, for all others), whether it is in the
    lowercase of a character folding otherwise (_FOLDS) and whether it is one of UNSPACED_CHARACTERS
    (_UNSPACED: caseless, they are their own lowercase and no other character's).

    A page's lowercase holding no _FOLDS mark comes from a page holding none of those characters, and then
    its casefold is its lowercase: `casefold` maps one character at a time, and so does `str.lower` but for
    'Σ', whose lowercase is its casefold 'σ' or a final 'ς' (marked, as 'ς' folds otherwise)."""
    marks = np.zeros(0x10001, dtype=np.uint8)
    for character in folding_otherwise():
        marks[[ord(lowered) for lowered in character.lower()]] |= _FOLDS
    for first, last in _ranges(UNSPACED_CHARACTERS):
        marks[first:last + 1] |= _UNSPACED
    return marks


_LOWERCASE_MARKS = _lowercase_marks()


class PageText:
    """The blocks joined by the separator (`joined`), its lowercase (`lowered`), each block's lowercase and,
    for the `literals` asked at construction, which of them each block's lowercase holds.

    `joined` and `lowered` are None when a block holds the separator (the blocks cannot be told apart in
    them). `str.lower` maps each character alone but for a final sigma, which the separator (no letter, not
    case-ignorable) ends as the end of a block does: the lowercase of the page is its blocks' lowercase.
    """

    __slots__ = ("blocks", "joined", "lowered", "lowered_blocks", "literals", "_points", "_marks", "_held")

    def __init__(self, blocks: Sequence[str], literals: tuple[str, ...] = ()) -> None:
        self.blocks = blocks
        self.literals = literals
        self.joined: str | None = _SEPARATOR.join(blocks)
        self.lowered: str | None = self.joined.lower()
        self.lowered_blocks = self.lowered.split(_SEPARATOR)
        if len(self.lowered_blocks) != len(blocks):
            self.joined = self.lowered = None
            self.lowered_blocks = [block.lower() for block in blocks]
        self._points: np.ndarray | None = None
        self._marks: int | None = None  # the marks of all its code points, or-ed
        self._held: list[tuple[str, ...]] | None = None

    def folded(self) -> str | None:
        """`joined.casefold()`: the lowercase itself when no character folds otherwise (see `_lowercase_marks`)."""
        if self.joined is None:
            return None
        return self.joined.casefold() if self._marked(_FOLDS) else self.lowered

    def unspaced(self) -> bool:
        """Whether a block holds a character of UNSPACED_CHARACTERS (True when the blocks are not joined)."""
        return self.lowered is None or self._marked(_UNSPACED)

    def _marked(self, mark: int) -> bool:
        """Whether a code point of the lowercase has the mark, read off one look-up of each (the code points
        encoded once for the literals' pass too): ~10 us a bench page, half a regex search of the page."""
        if self._marks is None:
            self._marks = int(np.bitwise_or.reduce(np.take(_LOWERCASE_MARKS, self.points(self.lowered), mode="clip")))
        return bool(self._marks & mark)

    def points(self, text: str) -> np.ndarray | None:
        """The code points of `text` when it is the page's lowercase (encoded once), else None."""
        if text is not self.lowered or text is None:
            return None
        if self._points is None:
            self._points = code_points(text)
        return self._points

    def held(self) -> list[tuple[str, ...]]:
        """For each block, which of `literals` its lowercase holds, in their order: one compiled pass over the
        lowercase page when the kernels are built and it can be (see page_literals), else `Pieces.holding`."""
        if self._held is None:
            hits = None
            if self.literals and self.lowered is not None:
                hits = hit_positions(self.literals, self.lowered, len(self.blocks), self.points(self.lowered))
            if hits is None:
                self._held = Pieces(self.lowered_blocks).holding(self.literals) if self.literals else \
                    [()] * len(self.blocks)
            else:
                held: list[tuple[str, ...]] = [()] * len(self.blocks)
                for block, number in hits:
                    held[block] += (self.literals[number],)
                self._held = held
        return self._held
