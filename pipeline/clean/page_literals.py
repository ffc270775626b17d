"""Which of the phrase lists' gate literals each block of a page holds, in one compiled pass over the page.

The gates (pipeline.clean.prefilter) rule out a block by the literals it lacks. Looking each of ~85 literals up
in the whole page is ~85 scans of it (~0.25 ms of a bench page's ~2 ms of cleaning, more on long pages); the
loop in word_kernels reads the page once, each position looking up the literals its first one or two code
points can start. Built with the stop-word count's kernels; without the build, `Pieces.holding` answers the
same in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from pipeline.aot_builds import code_points
from pipeline.clean.prefilter import Pieces
from pipeline.clean.word_counts import PAIR_MULTIPLIER, SEPARATOR, compiled

# Slots of the tables of literals: a power of two, many more than the literals, so a chain is short.
_SINGLE_SLOTS = 1 << 8
_PAIR_SLOTS = 1 << 12


@cache
def _table(literals: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """letters, starts, single_heads, pair_heads and chain as word_kernels.literal_hits reads them; None when
    a literal is empty or holds the separator (the loop would find it across blocks)."""
    if any(not literal or chr(SEPARATOR) in literal for literal in literals):
        return None
    letters = code_points("".join(literals))
    starts = np.zeros(len(literals) + 1, dtype=np.int64)
    np.cumsum([len(literal) for literal in literals], out=starts[1:])
    single_heads = np.full(_SINGLE_SLOTS, -1, dtype=np.int64)
    pair_heads = np.full(_PAIR_SLOTS, -1, dtype=np.int64)
    chain = np.full(len(literals), -1, dtype=np.int64)
    for number, literal in enumerate(literals):
        if len(literal) == 1:
            heads, slot = single_heads, ord(literal) & (_SINGLE_SLOTS - 1)
        else:
            heads, slot = pair_heads, (ord(literal[0]) * PAIR_MULTIPLIER + ord(literal[1])) & (_PAIR_SLOTS - 1)
        chain[number], heads[slot] = heads[slot], number
    return letters, starts, single_heads, pair_heads, chain


def blocks_holding(literals: tuple[str, ...], blocks: Sequence[str], joined: str | None = None
                   ) -> list[tuple[str, ...]]:
    """For each block, the literals it holds, in the order of `literals`: by the compiled pass when it is
    built and no block or literal holds the separator, else by `Pieces.holding`. `joined`: the blocks
    joined by the separator, when the caller has them so."""
    held = joined_holding(literals, chr(SEPARATOR).join(blocks) if joined is None else joined, len(blocks))
    return Pieces(blocks).holding(literals) if held is None else held


def joined_holding(literals: tuple[str, ...], joined: str, blocks: int) -> list[tuple[str, ...]] | None:
    """`blocks_holding` of the `blocks` blocks joined by the separator in `joined`, by the compiled pass; None
    without the build, or when the separators do not part that many blocks or a literal holds one."""
    hits = hit_positions(literals, joined, blocks)
    if hits is None:
        return None
    found: list[tuple[str, ...]] = [()] * blocks
    for block, number in hits:
        found[block] += (literals[number],)
    return found


def hit_positions(literals: tuple[str, ...], joined: str, blocks: int, points: np.ndarray | None = None
                  ) -> list[tuple[int, int]] | None:
    """(block, literal's number) of each literal a block holds, by block and then by literal, as
    `joined_holding` finds them; `points`: the code points of `joined`, when the caller has them."""
    held = _hits(literals, joined, blocks, points)
    if held is None:
        return None
    # The flat positions of the hits, divided back into (block, literal): `np.nonzero` of the 2-D array
    # costs ~20 us a page, this ~3 (a page holds ~10 hits).
    return [divmod(position, len(literals)) for position in np.flatnonzero(held).tolist()]


def joined_holding_any(literals: tuple[str, ...], joined: str, blocks: int) -> list[bool] | None:
    """Whether each block holds any of the literals, as `joined_holding` finds them."""
    held = _hits(literals, joined, blocks)
    return None if held is None else held.any(axis=1).tolist()


def _hits(literals: tuple[str, ...], joined: str, blocks: int, points: np.ndarray | None = None) -> np.ndarray | None:
    kernels = compiled()
    table = _table(literals) if kernels is not None else None
    if table is None or not blocks or joined.count(chr(SEPARATOR)) != blocks - 1:
        return None
    return kernels.literal_hits(code_points(joined) if points is None else points, blocks, *table)
