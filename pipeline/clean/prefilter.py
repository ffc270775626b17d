"""A cheap test before a costly regex: the literal text that every match of a pattern must contain.

Python's `re` tries each branch of a big alternation at every position of the text, so a phrase list
of 50 branches costs ~70 µs on a block of 150 characters even when nothing matches, which is almost
always. A handful of substring tests (`in`, a fast C search) rule most blocks out first. The literals
are read off the compiled pattern itself, so a phrase added to a cue list is covered without anyone
keeping a second list in step: the gate never changes what the pattern finds, only when it is run.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` contains at least one; None when there is no such set.

    Case-insensitive patterns get None: `re`'s case folding is not `str.lower`'s, so no literal test
    could be exact for them.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    found = _sequence(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if not found:
        return None
    # A literal that contains another one adds nothing: the shorter one is in the text whenever it is.
    kept = [s for s in found if not any(other != s and other in s for other in found)]
    return tuple(sorted(kept, key=lambda s: (len(s), s)))


def _sequence(items: list) -> frozenset[str] | None:
    """The most selective requirement among a sequence's parts: literal runs and required groups."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is sre_constants.LITERAL:
            run.append(chr(value))
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        needed = _item(op, value)
        if needed:
            candidates.append(needed)
    if run:
        candidates.append(frozenset(["".join(run)]))
    if not candidates:
        return None
    return max(candidates, key=lambda strings: (min(map(len, strings)), -len(strings)))


def _item(op: object, value: object) -> frozenset[str] | None:
    """What one non-literal part of a pattern requires in every match, if anything."""
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, _del_flags, items = value
        return None if add_flags & re.IGNORECASE else _sequence(list(items))
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            needed = _sequence(list(branch))
            if not needed:
                return None  # one branch can match without any literal: so can the whole alternation
            union |= needed
        return frozenset(union)
    if op in _REPEATS:
        low, _high, items = value
        return _sequence(list(items)) if low >= 1 else None
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _sequence(list(value))
    return None  # classes, anchors, look-arounds, back-references: no literal guaranteed


class GatedPattern:
    """A compiled pattern that is run only on texts holding one of its required literals.

    Same answers as the pattern itself, for `findall` and `search` over a whole text.
    """

    __slots__ = ("pattern", "literals")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.literals = required_literals(pattern)

    def may_match(self, text: str) -> bool:
        return self.literals is None or any(literal in text for literal in self.literals)

    def findall(self, text: str) -> list:
        return self.pattern.findall(text) if self.may_match(text) else []

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None
