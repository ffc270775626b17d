"""Words and stop words of every block of a page, counted in one compiled pass (the stop-word share).

The loop is pipeline.clean.word_kernels' (this module holds what it shares with it, without numba), built
ahead of time with langid's kernels into an extension module (`python -m pipeline.langid_build`, run at
install), which needs numpy but not numba. Without that build (or with one of other source) `page_counts`
answers None and the cleaner counts in Python: the counts are the same, only slower; numba is never
imported for this.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

import numpy as np

from pipeline.aot_builds import build_name, character_class_table, code_points, load_build
from pipeline.clean import stop_tables, stopwords

# Between two blocks of a page ('\x00': normalization removes control characters from stored text).
SEPARATOR = 0
# FNV-1a, 64 bits, over a word's code points; a table slot is the hash's top bits after a Fibonacci multiply.
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
GOLDEN = 0x9E3779B97F4A7C15
# A literal of two or more code points is listed under slot (first * PAIR_MULTIPLIER + second) & mask
# (pipeline.clean.page_literals builds the table, word_kernels.literal_hits reads it).
PAIR_MULTIPLIER = 0x9E37
# The stop list's table has at least this many slots per word: a short probe for a word that is not in it.
_SLOTS_PER_WORD = 4


def aot_module_name() -> str:
    """Name of the ahead-of-time build of the kernels' current source and of the constants they take from
    here: a stale build is never loaded."""
    return build_name("_words_aot_", "pipeline.clean", ("word_kernels.py", "word_counts.py"))


@cache
def _kernels() -> ModuleType | None:
    return load_build(aot_module_name())


def compiled() -> ModuleType | None:
    """The built kernels (word_kernels' loops), or None without a build of their current source."""
    return _kernels()


def available() -> bool:
    """Whether the compiled counts are at hand (the build of the kernels' current source is installed)."""
    return _kernels() is not None


@cache
def word_characters() -> np.ndarray:
    """For every code point, whether `\\w` matches it (~60 ms, once per process)."""
    return character_class_table(r"\w")


@cache
def _stop_table(stops: frozenset[str]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`computed_stop_table(stops)`, read from the install when `stops` is one of jusText's lists (see
    pipeline.clean.stop_tables)."""
    name = stopwords.list_name(stops)
    saved = None if name is None else stop_tables.saved_table(name)
    return computed_stop_table(stops) if saved is None else saved


def computed_stop_table(stops: frozenset[str]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The stop list as word_kernels.stopword_counts reads it: bits, slot hashes, slot words, starts, letters.
    Hashed a code point of every word at a time (~2.5-4 ms a list)."""
    words = sorted(stops)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    starts = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    letters = code_points("".join(words))
    hashes = np.full(len(words), FNV_OFFSET, dtype=np.uint64)
    for position in range(int(lengths.max(initial=0))):  # FNV-1a; uint64 arithmetic wraps as the kernel's
        longer = lengths > position
        hashes[longer] = (hashes[longer] ^ letters[starts[:-1][longer] + position]) * np.uint64(FNV_PRIME)
    bits = max(4, (len(words) * _SLOTS_PER_WORD - 1).bit_length())
    mask = (1 << bits) - 1
    slot_words = [-1] * (1 << bits)
    for number, slot in enumerate(((hashes * np.uint64(GOLDEN)) >> np.uint64(64 - bits)).tolist()):
        while slot_words[slot] != -1:
            slot = (slot + 1) & mask
        slot_words[slot] = number
    numbers = np.array(slot_words, dtype=np.int64)
    slot_hashes = np.where(numbers >= 0, hashes[numbers], np.uint64(0)).astype(np.uint64)
    return bits, slot_hashes, numbers, starts, letters


def page_counts(folded: str, blocks: int, stops: frozenset[str], points: np.ndarray | None = None
                ) -> list[tuple[int, int]] | None:
    """(words, stop words) of each of the `blocks` casefolded blocks joined by SEPARATOR in `folded`, as
    `\\w+` finds the words and `stops` holds them; None when the compiled kernels are not built.
    The caller makes sure no block holds the separator. `points`: the code points of `folded`, when the
    caller has them."""
    kernels = _kernels()
    if kernels is None:
        return None
    cps = code_points(folded) if points is None else points
    words, hits = kernels.stopword_counts(cps, word_characters(), *_stop_table(stops), blocks)
    return list(zip(words.tolist(), hits.tolist(), strict=True))
