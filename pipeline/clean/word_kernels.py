"""The compiled loops of the cleaner's page scans, in numba: the stop-word share (pipeline.clean.word_counts),
the literals of the phrase lists' gates each block holds (pipeline.clean.page_literals) and whether a page
is in the stored form (pipeline.clean.normalize.stored_blocks).

Counting a block's `\\w+` words and looking each up in a stop list costs Python a string, a hash and a
set look-up per word, and a few calls per block: ~0.5 ms of a page's ~2.5 ms of cleaning. Here one loop
walks the code points of a whole page, hashing each word as it goes (FNV-1a) and looking it up in an
open-addressing table of the stop list, whose words it compares code point by code point: the counts are
those of the regex and the set, exactly. Compiled ahead of time with langid's kernels
(`python -m pipeline.langid_build`); without that build the cleaner counts in Python, as before.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from pipeline.clean.word_counts import FNV_OFFSET, FNV_PRIME, GOLDEN, PAIR_MULTIPLIER, SEPARATOR

_OFFSET, _PRIME, _GOLDEN = np.uint64(FNV_OFFSET), np.uint64(FNV_PRIME), np.uint64(GOLDEN)

# Numba signatures of the kernels, for the ahead-of-time build: the argument types word_counts passes.
SIGNATURES = {
    "stopword_counts": "Tuple((i8[:], i8[:]))(u4[:], b1[:], i8, u8[:], i8[:], i8[:], u4[:], i8)",
    "literal_hits": "b1[:, :](u4[:], i8, u4[:], i8[:], i8[:], i8[:], i8[:])",
    "stored_form": "i8(u4[:], b1[:])",
}
_NEWLINE, _SPACE = 0x0A, 0x20


@njit(cache=True, nogil=True)
def stopword_counts(cps: np.ndarray, word: np.ndarray, bits: int, slot_hashes: np.ndarray, slot_words: np.ndarray,
                    starts: np.ndarray, letters: np.ndarray, blocks: int) -> tuple[np.ndarray, np.ndarray]:
    """Per block of `cps` (code points of the casefolded blocks joined by SEPARATOR): its words (runs of
    code points that `word` marks) and how many of them are stop words.

    The stop list is a table of 2**bits slots: `slot_words` the word's number (-1 for an empty slot),
    `slot_hashes` its FNV-1a hash; word j's code points are letters[starts[j]:starts[j + 1]].
    """
    words = np.zeros(blocks, dtype=np.int64)
    hits = np.zeros(blocks, dtype=np.int64)
    mask = (1 << bits) - 1
    shift = np.uint64(64 - bits)
    block = 0
    start = -1
    h = _OFFSET
    n = len(cps)
    for i in range(n + 1):
        ch = cps[i] if i < n else np.uint32(SEPARATOR)
        if i < n and word[ch]:
            if start < 0:
                start = i
                h = _OFFSET
            h = (h ^ np.uint64(ch)) * _PRIME
            continue
        if start >= 0:
            words[block] += 1
            size = i - start
            slot = np.int64((h * _GOLDEN) >> shift)
            while slot_words[slot] != -1:
                j = slot_words[slot]
                if slot_hashes[slot] == h and starts[j + 1] - starts[j] == size:
                    same = True
                    for k in range(size):
                        if letters[starts[j] + k] != cps[start + k]:
                            same = False
                            break
                    if same:
                        hits[block] += 1
                        break
                slot = (slot + 1) & mask
            start = -1
        if ch == SEPARATOR:
            block += 1
            if block == blocks:
                break
    return words, hits


@njit(cache=True, nogil=True)
def literal_hits(cps: np.ndarray, blocks: int, letters: np.ndarray, starts: np.ndarray, single_heads: np.ndarray,
                 pair_heads: np.ndarray, chain: np.ndarray) -> np.ndarray:
    """Which literals each block of `cps` (code points of blocks joined by SEPARATOR) holds: held[block, j].

    Literal j's code points are letters[starts[j]:starts[j + 1]]. A literal of one code point is listed under
    that code point's slot of `single_heads`, a longer one under its first two's slot of `pair_heads` (see
    PAIR_MULTIPLIER); `chain[j]` is the next literal of j's slot, -1 ending it. Each position looks up its
    slots (one or two reads: most positions start no literal) and compares the literals listed there.
    """
    held = np.zeros((blocks, len(starts) - 1), dtype=np.bool_)
    single_mask = len(single_heads) - 1
    pair_mask = len(pair_heads) - 1
    block = 0
    n = len(cps)
    for i in range(n):
        ch = np.int64(cps[i])
        if ch == SEPARATOR:
            block += 1
            continue
        j = single_heads[ch & single_mask]
        while j >= 0:
            if letters[starts[j]] == ch:
                held[block, j] = True
            j = chain[j]
        if i + 1 == n:
            break
        j = pair_heads[(ch * PAIR_MULTIPLIER + np.int64(cps[i + 1])) & pair_mask]
        while j >= 0:
            first, size = starts[j], starts[j + 1] - starts[j]
            if i + size <= n:
                same = True
                for k in range(size):
                    if letters[first + k] != cps[i + k]:
                        same = False
                        break
                if same:
                    held[block, j] = True
            j = chain[j]
    return held


@njit(cache=True, nogil=True)
def stored_form(cps: np.ndarray, printable: np.ndarray) -> int:
    """1 when the code points `cps` are a text in the stored form: blocks parted by exactly one blank line
    ("\n\n"), none empty, each of printable characters (`printable`, by code point) with single spaces
    inside and none at its edges; 0 when they are not; -1 when a code point lies past the table (the
    caller decides those texts)."""
    n = len(cps)
    if n == 0 or cps[0] == _NEWLINE:
        return 0
    previous = _NEWLINE  # the text's start is a block's start: no space may follow it
    newlines = 0
    for i in range(n):
        ch = np.int64(cps[i])
        if ch == _NEWLINE:
            newlines += 1
            if previous == _SPACE or newlines > 2:
                return 0
        else:
            if newlines == 1:
                return 0
            newlines = 0
            if ch == _SPACE:
                if previous in (_SPACE, _NEWLINE):
                    return 0
            elif ch >= len(printable):
                return -1
            elif not printable[ch]:
                return 0
        previous = ch
    return 0 if previous in (_NEWLINE, _SPACE) else 1
