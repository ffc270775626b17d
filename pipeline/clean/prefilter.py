"""A cheap test before a costly regex: the literal text that every match of a pattern must contain.

Python's `re` tries each branch of a big alternation at every position of the text, so a phrase list
of 50 branches costs ~70 µs on a block of 150 characters even when nothing matches, which is almost
always. A handful of substring tests (`in`, a fast C search) rule most blocks out first. The literals
are read off the compiled pattern itself, so a phrase added to a cue list is covered without anyone
keeping a second list in step: the gate never changes what the pattern finds, only when it is run.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import lru_cache
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}
# The non-ASCII characters that a case-insensitive ASCII letter matches ('İ' and 'ı' match 'i', 'ſ' 's',
# the Kelvin sign 'k'; Python's `re` documentation names exactly these four). A text holding one of
# them is not gated: `str.lower` does not turn them into their ASCII letter.
_ODD_CASE_PARTNERS = ("\u0130", "\u0131", "\u017f", "\u212a")
# What `str.lower` leaves of those that it does not make ASCII ('ı', 'ſ'; 'İ' becomes 'i' and this combining
# dot; the Kelvin sign becomes 'k'). 'İ' is also the one character whose lowercase is longer than itself.
_ODD_PARTNERS_LOWERED = ("\u0307", "\u0131", "\u017f")


# A requirement no text of the kind asked about meets: a part of a pattern that matches no ASCII text.
_DEAD: frozenset[str] = frozenset(["\x00dead"])


def ascii_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """For a case-insensitive pattern asked of ASCII texts: lowercase strings of which every match in an ASCII
    text holds one in the text's lowercase; () when no ASCII text matches; None when there is no such set.

    Alternatives spelled in another script (Cyrillic cues, 'publicité') cannot match an ASCII text: they
    need no literal of their own, so a list of cues in many languages still has a gate for ASCII blocks.
    """
    if not pattern.flags & re.IGNORECASE:
        raise ValueError("ascii_literals reads case-insensitive patterns")
    found = _sequence(list(sre_parse.parse(pattern.pattern, pattern.flags)), True, ascii_text=True)
    if found is _DEAD:
        return ()
    if not found:
        return None
    kept = [s for s in found if not any(other != s and other in s for other in found)]
    return tuple(sorted(kept, key=lambda s: (len(s), s)))


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` contains at least one; None when there is no such set.

    For a case-insensitive pattern the strings are lowercase and hold only ASCII letters and characters
    without case, so that they can be looked for in the lowercased text (see `GatedPattern.may_match`).
    """
    folded = bool(pattern.flags & re.IGNORECASE)
    found = _sequence(list(sre_parse.parse(pattern.pattern, pattern.flags)), folded)
    if not found:
        return None
    # A literal that contains another one adds nothing: the shorter one is in the text whenever it is.
    kept = [s for s in found if not any(other != s and other in s for other in found)]
    return tuple(sorted(kept, key=lambda s: (len(s), s)))


class Pieces:
    """Texts (a page's blocks) joined by a separator, with where each starts: literals are looked for once
    in the whole (`holding`) instead of once per piece."""

    __slots__ = ("text", "starts")

    def __init__(self, pieces: Sequence[str], separator: str = "\n\n") -> None:
        self.text = separator.join(pieces)
        self.starts, position = [], 0
        for piece in pieces:
            self.starts.append(position)
            position += len(piece) + len(separator)

    def holding(self, literals: Sequence[str]) -> list[tuple[str, ...]]:
        """For each piece, which of `literals` it holds: one scan of the whole per literal, as most literals
        are in few pieces or none. After a hit the scan resumes at the next piece's start. A hit across the
        separator counts for the piece where it starts: a literal too many only runs a pattern that then
        finds nothing, never hides a match."""
        text, starts = self.text, self.starts
        held: list[tuple[str, ...]] = [()] * len(starts)
        last = len(starts) - 1
        for literal in literals:
            found = text.find(literal)
            while found >= 0:
                piece = bisect_right(starts, found) - 1
                held[piece] += (literal,)
                if piece == last:
                    break
                found = text.find(literal, starts[piece + 1])
        return held


def _character(code: int, folded: bool, ascii_text: bool = False) -> str | None:
    """The character a literal stands for in the text to search, or None when no single one does; in an
    ASCII text (`ascii_text`), `_DEAD` for a character no ASCII one matches (all non-ASCII ones but the odd
    case partners of a case-insensitive pattern)."""
    character = chr(code)
    if ascii_text and code >= 128:
        return None if folded and character in _ODD_CASE_PARTNERS else _DEAD
    if not folded or not _sre.unicode_iscased(code):
        return character
    return character.lower() if character.isascii() else None


def _sequence(items: list, folded: bool, ascii_text: bool = False) -> frozenset[str] | None:
    """The most selective requirement among a sequence's parts: literal runs and required groups (`_DEAD`
    when, in an ASCII text, a part can match nothing)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, value in items:
        character = _character(value, folded, ascii_text) if op is sre_constants.LITERAL else None
        if character is _DEAD:
            return _DEAD
        if character is not None:
            run.append(character)
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        needed = _item(op, value, folded, ascii_text)
        if needed is _DEAD:
            return _DEAD
        if needed:
            candidates.append(needed)
    if run:
        candidates.append(frozenset(["".join(run)]))
    if not candidates:
        return None
    return max(candidates, key=lambda strings: (min(map(_rarity, strings)), -len(strings)))


def _rarity(literal: str) -> int:
    """How seldom a literal occurs in text, roughly: its length, a punctuation mark or symbol counting
    as three letters ('/' is rarer in prose than 'ap')."""
    return sum(1 if character.isalnum() else 3 for character in literal)


def _item(op: object, value: object, folded: bool, ascii_text: bool = False) -> frozenset[str] | None:
    """What one non-literal part of a pattern requires in every match, if anything."""
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, items = value
        return None if (add_flags | del_flags) & re.IGNORECASE else _sequence(list(items), folded, ascii_text)
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        alive = False
        for branch in value[1]:
            needed = _sequence(list(branch), folded, ascii_text)
            if needed is _DEAD:
                continue  # this branch matches no ASCII text
            if not needed:
                return None  # one branch can match without any literal: so can the whole alternation
            alive = True
            union |= needed
        return frozenset(union) if alive else _DEAD
    if op in _REPEATS:
        low, _high, items = value
        return _sequence(list(items), folded, ascii_text) if low >= 1 else None
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _sequence(list(value), folded, ascii_text)
    if op is sre_constants.IN and all(kind is sre_constants.LITERAL for kind, _ in value):
        characters = {_character(code, folded, ascii_text) for _, code in value} - {_DEAD}
        if None in characters:
            return None
        return frozenset(characters) if characters else _DEAD  # a set of single characters
    return None  # ranges, categories, anchors, look-arounds, back-references: no literal guaranteed


class GatedPattern:
    """A compiled pattern that is run only on texts holding one of its required literals.

    Same answers as the pattern itself, for `findall` and `search` over a whole text or its tail.
    """

    __slots__ = ("pattern", "literals", "folded")

    def __init__(self, pattern: re.Pattern[str], literals: tuple[str, ...] | None = None) -> None:
        self.pattern = pattern
        self.folded = bool(pattern.flags & re.IGNORECASE)
        self.literals = required_literals(pattern) if literals is None else literals

    def may_match(self, text: str) -> bool:
        """False only when no match is possible: the text holds none of the literals."""
        if self.literals is None:
            return True
        if self.folded:
            if any(partner in text for partner in _ODD_CASE_PARTNERS):
                return True
            text = text.lower()
        return any(literal in text for literal in self.literals)

    def within(self, text: str) -> GatedPattern:
        """The gate for pieces of `text` (its blocks): only the literals `text` holds are worth testing."""
        if self.literals is None or self.folded:
            return self
        return GatedPattern(self.pattern, tuple(literal for literal in self.literals if literal in text))

    def within_lowered(self, lowered: str) -> GatedPattern | None:
        """For a case-insensitive pattern: the gate for the lowercase forms of the pieces of a text whose
        lowercase is `lowered` (its blocks'), narrowed to the literals it holds; ask it with `search_lowered`.
        None when the text holds an odd case partner that `str.lower` does not make the ASCII letter the
        pattern matches it as: then the pieces' lowercase cannot stand for them."""
        if not self.reads_lowered(lowered):
            return None
        return GatedPattern(self.pattern, tuple(literal for literal in self.literals if literal in lowered))

    def reads_lowered(self, lowered: str) -> bool:
        """Whether a case-insensitive gate can be asked on the lowercase form `lowered` of a text (see
        `within_lowered`): it has literals and the text holds no odd case partner `str.lower` keeps."""
        return self.literals is not None and self.folded and not any(odd in lowered for odd in _ODD_PARTNERS_LOWERED)

    def search_lowered_among(self, text: str, lowered: str, pos: int, held: tuple[str, ...]) -> re.Match[str] | None:
        """`search_lowered` with the gate's literals that `lowered` holds (`Pieces.holding`) given."""
        tail = lowered[pos:] if pos else lowered
        return self.pattern.search(text, pos) if any(literal in tail for literal in held) else None

    def count_among(self, text: str, limit: int, held: tuple[str, ...]) -> int:
        """`count` of a text of which the gate's literals it holds are given (`Pieces.holding`); for a
        case-sensitive gate, or a case-insensitive one asked on lowercase texts."""
        if limit <= 0 or not held:
            return 0
        return _count(self.pattern, text, limit)

    def search_lowered(self, text: str, lowered: str, pos: int = 0) -> re.Match[str] | None:
        """`pattern.search(text, pos)`, gated on `lowered`, the `str.lower()` of `text`, for a gate made by
        `within_lowered`: without odd partners, `lowered[pos:]` is the lowercase of `text[pos:]`."""
        tail = lowered[pos:] if pos else lowered
        return self.pattern.search(text, pos) if any(literal in tail for literal in self.literals) else None

    def findall(self, text: str) -> list:
        return self.pattern.findall(text) if self.may_match(text) else []

    def count(self, text: str, limit: int) -> int:
        """`min(len(findall(text)), limit)`: the scan stops at the `limit`-th match (finditer finds the
        matches findall finds, one by one)."""
        if limit <= 0 or not self.may_match(text):
            return 0
        return _count(self.pattern, text, limit)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """`pattern.search(text, pos)`; a match lies in text[pos:], so only that part is tested."""
        return self.pattern.search(text, pos) if self.may_match(text[pos:] if pos else text) else None


def _count(pattern: re.Pattern[str], text: str, limit: int) -> int:
    """`min(len(pattern.findall(text)), limit)`, stopping at the `limit`-th match."""
    found = 0
    for _ in pattern.finditer(text):
        found += 1
        if found == limit:
            break
    return found


def _group_marks(source: str, start: int) -> Iterator[tuple[int, str, int]]:
    """Each '(', ')' and '|' of a pattern's source from `start` that is neither escaped nor in a character
    class: (its position, itself, the group depth after it)."""
    depth, i = 0, start
    while i < len(source):
        character = source[i]
        if character == "\\":
            i += 2
            continue
        if character == "[":  # a class: skip to its end ('[]...]' and '[^]...]' hold a literal ']')
            i += 2 if source.startswith("[^", i) else 1
            i += 1 if source.startswith("]", i) else 0
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif character in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[character]
            yield i, character, depth
        i += 1


def alternatives(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The alternatives of a pattern written as one group of them ('(a|b|c)'), as source texts; None for any
    other shape, or one this reading cannot split safely (comments, back-references)."""
    source = pattern.pattern.strip() if pattern.flags & re.VERBOSE else pattern.pattern
    if (pattern.flags & re.VERBOSE and "#" in source) or "(?P=" in source or re.search(r"\\[1-9]", source):
        return None
    if not source.startswith("(") or source.startswith("(?"):
        return None
    parts, start, depth = [], 1, 0
    for i, character, depth in _group_marks(source, 0):
        if character == ")" and depth == 0:
            if i != len(source) - 1:
                return None  # the group is not the whole pattern
            parts.append(source[start:i])
        elif character == "|" and depth == 1:
            parts.append(source[start:i])
            start = i + 1
    if len(parts) < 2 or depth != 0:
        return None
    # The split must be the parser's: one group holding exactly this many alternatives (the parser takes a
    # prefix common to all out of them: then the pattern is left whole).
    parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    if len(parsed) != 1 or parsed[0][0] is not sre_constants.SUBPATTERN:
        return None
    inner = list(parsed[0][1][3])
    if len(inner) != 1 or inner[0][0] is not sre_constants.BRANCH or len(inner[0][1][1]) != len(parts):
        return None
    return tuple(parts)


class BranchedPattern(GatedPattern):
    """A phrase list (one group of alternatives) run on a text with only the alternatives whose literals
    the text holds.

    `re` tries every alternative at every position: on a block holding the word of one phrase (or a word
    like 'blog' that holds one's literal), a list of 50 costs 50 times that phrase. An alternative whose
    required literals a text lacks matches nowhere in it, so the ones kept, in their order, match exactly
    where the whole list does. `literals` are all alternatives' literals. A case-insensitive list is run
    so only on lowercased texts (`within_lowered`, `search_lowered`); otherwise as a GatedPattern.
    """

    __slots__ = ("_parts", "_by_literal", "_compiled")

    def __init__(self, pattern: re.Pattern[str], parts: tuple[str, ...], by_literal: dict[str, tuple[int, ...]],
                 literals: tuple[str, ...], compiled: dict[tuple[int, ...], re.Pattern[str]]) -> None:
        super().__init__(pattern, literals)
        self._parts, self._by_literal, self._compiled = parts, by_literal, compiled

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> GatedPattern:
        """The branched form of a phrase list; a plain GatedPattern for other patterns."""
        parts = alternatives(pattern)
        needed = [required_literals(re.compile(part, pattern.flags)) for part in parts or ()]
        if parts is None or any(literals is None for literals in needed):
            return GatedPattern(pattern)
        by_literal: dict[str, list[int]] = {}
        for index, literals in enumerate(needed):
            for literal in literals or ():
                by_literal.setdefault(literal, []).append(index)
        return cls(pattern, parts, {literal: tuple(found) for literal, found in by_literal.items()},
                   tuple(sorted(by_literal, key=lambda s: (len(s), s))), {})

    def within(self, text: str) -> GatedPattern:
        if self.folded:
            return self
        return self._narrowed(text)

    def within_lowered(self, lowered: str) -> GatedPattern | None:
        if not self.folded or any(odd in lowered for odd in _ODD_PARTNERS_LOWERED):
            return None
        return self._narrowed(lowered)

    def _narrowed(self, text: str) -> BranchedPattern:
        return BranchedPattern(self.pattern, self._parts, self._by_literal,
                               tuple(literal for literal in self.literals if literal in text), self._compiled)

    def _for(self, text: str, literals: Sequence[str] | None = None) -> re.Pattern[str] | None:
        """The alternatives the literals in `text` call for (of `literals`, else of all the gate's), compiled
        once per set; None when it holds none."""
        branches: set[int] = set()
        for literal in self.literals if literals is None else literals:
            if literal in text:
                branches.update(self._by_literal[literal])
        if not branches:
            return None
        key = tuple(sorted(branches))
        pattern = self._compiled.get(key)
        if pattern is None:
            pattern = self._compiled[key] = re.compile(
                "(?:" + "|".join(self._parts[index] for index in key) + ")", self.pattern.flags)
        return pattern

    def search_lowered(self, text: str, lowered: str, pos: int = 0) -> re.Match[str] | None:
        pattern = self._for(lowered[pos:] if pos else lowered)
        return pattern.search(text, pos) if pattern is not None else None

    def search_lowered_among(self, text: str, lowered: str, pos: int, held: tuple[str, ...]) -> re.Match[str] | None:
        if not held:
            return None
        pattern = self._for(lowered[pos:] if pos else lowered, held)
        return pattern.search(text, pos) if pattern is not None else None

    def count_among(self, text: str, limit: int, held: tuple[str, ...]) -> int:
        if limit <= 0 or not held:
            return 0
        pattern = self._for(text, held)  # every literal held is in the text: the scan only maps them
        return 0 if pattern is None else _count(pattern, text, limit)

    def count(self, text: str, limit: int) -> int:
        if self.folded:
            return super().count(text, limit)
        if limit <= 0:
            return 0
        pattern = self._for(text)
        return 0 if pattern is None else _count(pattern, text, limit)


# Zero-width parts a match may open with: they consume no character, so the first one comes after them.
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_CATEGORIES = {sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_NOT_DIGIT: r"\D",
               sre_constants.CATEGORY_SPACE: r"\s", sre_constants.CATEGORY_NOT_SPACE: r"\S",
               sre_constants.CATEGORY_WORD: r"\w", sre_constants.CATEGORY_NOT_WORD: r"\W"}


def opening_class(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern of one character class holding every character a match of `pattern` at the start of a text
    can begin with (`pattern.match`), under the same flags, so `re` folds case for both alike; None when
    that is not known (a match may be empty, or begin with any character)."""
    members = _opening(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if not members:
        return None
    return re.compile("[" + "".join(sorted(members)) + "]", pattern.flags & (re.IGNORECASE | re.ASCII))


def _opening(items: list) -> set[str] | None:
    """The class members (escaped characters, ranges, categories) of the first character a sequence consumes;
    None when a path may consume none or anything."""
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL:
            return {re.escape(chr(value))}
        if op is sre_constants.IN:
            members = set()
            for kind, member in value:
                if kind is sre_constants.LITERAL:
                    members.add(re.escape(chr(member)))
                elif kind is sre_constants.RANGE:
                    members.add(f"{re.escape(chr(member[0]))}-{re.escape(chr(member[1]))}")
                elif kind is sre_constants.CATEGORY and member in _CATEGORIES:
                    members.add(_CATEGORIES[member])
                else:
                    return None  # a negated class, a locale category
            return members
        if op is sre_constants.SUBPATTERN:
            _group, add_flags, del_flags, body = value
            return None if add_flags or del_flags else _opening(list(body))
        if op in _REPEATS:
            low, _high, body = value
            return _opening(list(body)) if low >= 1 else None
        if op is getattr(sre_constants, "ATOMIC_GROUP", None):
            return _opening(list(value))
        if op is sre_constants.BRANCH:
            union: set[str] = set()
            for branch in value[1]:
                members = _opening(list(branch))
                if not members:
                    return None
                union |= members
            return union
        return None  # any character, a back-reference, a conditional
    return None


class OpeningBranches:
    """`pattern.match` of a whole-text cue list written as one group of alternatives between zero-width parts
    and a tail ('^(share|menu|...)[\\s:.!]*$'), run with only the alternatives that can begin with the text's
    first character.

    `re` tries each alternative of a case-insensitive group in turn (~2 us for CHROME_BLOCK's hundred, which
    fail on nearly every block: a case-insensitive literal does not let it skip one at its first character).
    The alternatives a character can open (`opening_class` of each, so `re` itself folds the case) are put
    together once per first character. The others cannot match there, so the same alternative matches first:
    the same span; groups inside the alternatives are numbered anew. Patterns of any other shape run whole.
    """

    __slots__ = ("pattern", "_head", "_tail", "_branches", "_for")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._branches: list[tuple[str, re.Pattern[str] | None]] = []
        self._head = self._tail = ""
        split = _group_of_alternatives(pattern)
        if split is not None:
            self._head, branches, self._tail = split
            self._branches = [(branch, opening_class(re.compile(branch, pattern.flags))) for branch in branches]
        self._for = lru_cache(maxsize=1024)(self._pattern_for)

    def match(self, text: str) -> re.Match[str] | None:
        if not self._branches:
            return self.pattern.match(text)
        narrowed = self._for(text[:1])
        return narrowed.match(text) if narrowed is not None else None

    def _pattern_for(self, first: str) -> re.Pattern[str] | None:
        kept = [branch for branch, opening in self._branches if opening is None or opening.match(first)]
        return _compiled(f"{self._head}({'|'.join(kept)}){self._tail}", self.pattern.flags) if kept else None


@lru_cache(maxsize=256)
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


def _group_of_alternatives(pattern: re.Pattern[str]) -> tuple[str, list[str], str] | None:
    """(the zero-width parts before the first group, its alternatives, what follows it) of a pattern's source;
    None when no alternatives are read safely this way (see `alternatives`) or something before the group
    consumes characters."""
    source = pattern.pattern
    opening = source.find("(")
    if opening < 0 or "\\" in source[:opening] or "[" in source[:opening]:
        return None
    head = source[:opening]
    if any(op not in _ZERO_WIDTH for op, _ in sre_parse.parse(head, pattern.flags)):
        return None
    i = next((i for i, character, depth in _group_marks(source, opening) if character == ")" and depth == 0),
             len(source))
    group = re.compile(source[opening:i + 1], pattern.flags)
    branches = alternatives(group)
    if branches is None:
        return None
    return head, list(branches), source[i + 1:]
