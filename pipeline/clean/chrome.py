"""Page-level chrome: label each block from its own shape and words and from its neighbours."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import Enum

from pipeline.clean.cues import (
    APPEAL_NOUN,
    APPEAL_PHRASE,
    CAPTION_CREDIT,
    CAPTION_OPENING,
    CAPTION_TAIL_CHARS,
    CHROME_BLOCK,
    CHROME_PHRASE,
    TERMINAL_PUNCTUATION,
)
from pipeline.clean.page_text import PageText
from pipeline.clean.prefilter import BranchedPattern, GatedPattern, OpeningBranches, ascii_literals

_URL_ONLY = re.compile(r"^(https?://|www\.)\S+$|^\S+@\S+\.\w+$", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“„«][^\"”“»]*[\"”“»]")
_PERSONAL = re.compile(r"\b(you|your|we|our|us|sie|ihre|wir|unser|vous|votre|nous|notre)\b", re.IGNORECASE)
# A block this long with a chrome phrase needs more than one to be called chrome.
_LONG_BLOCK_WORDS = 40
# A caption is a sentence or two; a longer block with a credit at its end is text quoting one.
CAPTION_MAX_CHARS = 400
# How far apart two appeal blocks may be and still bracket an appeal.
_APPEAL_GAP = 2
# An appeal word in a block shorter than this is a call ('Jetzt spenden!', 'Your donation can change a life').
APPEAL_CALL_WORDS = 25
# A block repeated on its page is chrome from this many words on (or from 5 when it ends like a sentence).
REPEAT_MIN_WORDS = 12
# The phrase lists are run only on blocks holding one of their literal words: most blocks hold none; the
# chrome phrases only with the phrases whose words a block holds.
_CHROME_PHRASE = BranchedPattern.of(CHROME_PHRASE)
_APPEAL_PHRASE = GatedPattern(APPEAL_PHRASE)
_CAPTION_CREDIT = BranchedPattern.of(CAPTION_CREDIT)
# Whole interface blocks ('Share', 'Menu', 'Kommentare'): only the cues a block's first character can open.
_CHROME_BLOCK = OpeningBranches(CHROME_BLOCK)
# An ASCII block is whole interface text only if it holds one of these (cues in other scripts need none).
_INTERFACE_ASCII = ascii_literals(CHROME_BLOCK)
_INTERFACE_WORDS = frozenset(_INTERFACE_ASCII or ())
# All their literals, looked for in a page's blocks at once (pipeline.clean.page_text).
GATE_LITERALS = tuple(dict.fromkeys([*(literal for gate in (_CHROME_PHRASE, _APPEAL_PHRASE, _CAPTION_CREDIT)
                                       for literal in gate.literals or ()), *(_INTERFACE_ASCII or ())]))


class Shape(Enum):
    """jusText's classes: how article-like a block looks on its own."""

    GOOD = "good"
    NEAR = "near"
    SHORT = "short"


def shape_of(block: str) -> Shape:
    words = len(block.split())
    terminal = block.endswith(TERMINAL_PUNCTUATION)
    if words >= 30 or (words >= 12 and terminal):
        return Shape.GOOD
    if words >= 5 and terminal:
        return Shape.NEAR
    return Shape.SHORT


def chrome_reason(block: str) -> str | None:
    """Why a block, by itself, is interface text rather than article; None when it may be article."""
    lowered = block.lower()
    return _chrome_reason(block, lowered, _CHROME_PHRASE.count(lowered, 2), None, ())


def _chrome_reason(block: str, lowered: str, phrases: int, credit: GatedPattern | None,
                   credit_held: tuple[str, ...], interface: bool = True) -> str | None:
    """`phrases`: the chrome phrases in the lowercased block, up to two (all the rule below tells apart);
    `credit`: the caption credits' gate to ask on the lowercased block with the literals it holds
    (`credit_held`), or None to search the block itself; `interface`: False when the block cannot be whole
    interface text (an ASCII block without the literals of CHROME_BLOCK)."""
    if interface and _CHROME_BLOCK.match(block):
        return "interface"
    if " " not in block and _URL_ONLY.match(block):  # both forms are one run of non-spaces: most blocks hold a space
        return "link"
    if len(block) <= CAPTION_MAX_CHARS:
        tail = max(0, len(block) - CAPTION_TAIL_CHARS)
        if CAPTION_OPENING.match(block) or (_CAPTION_CREDIT.search(block, tail) if credit is None else
                                            credit.search_lowered_among(block, lowered, tail, credit_held)):
            return "caption"
    if phrases and (phrases >= 2 or len(block.split()) < _LONG_BLOCK_WORDS):
        return "prompt"
    return None


class PageChrome:
    """`chrome_reason` and `appeal_blocks` for the blocks of one page, at less cost per block.

    Each block is lowercased once for both, and the literals of the phrase lists' gates are looked for in
    the whole page at once (`PageText.held`): a block runs the phrases its own literals call
    for, and most blocks hold none, without testing any literal itself. The caption credits' gate, which is
    case-insensitive, reads the same lowercase forms unless the page holds an odd case partner.
    """

    __slots__ = ("blocks", "lowered", "_held", "_phrases", "_appeals", "_credit", "_credits")

    def __init__(self, blocks: Sequence[str], text: PageText | None = None) -> None:
        """`text`: the page's PageText when the caller has it, its literals GATE_LITERALS and perhaps more
        after them (each rule below reads only its own)."""
        self.blocks = blocks
        if text is None or text.literals[:len(GATE_LITERALS)] != GATE_LITERALS:
            text = PageText(blocks, GATE_LITERALS)
        self.lowered = text.lowered_blocks
        self._held = held = text.held()
        holding = [index for index, found in enumerate(held) if found]
        self._phrases = _held(_CHROME_PHRASE, held, holding)
        self._appeals = _held(_APPEAL_PHRASE, held, holding)
        lowered_page = text.lowered if text.lowered is not None else "".join(self.lowered)
        self._credit = _CAPTION_CREDIT if _CAPTION_CREDIT.reads_lowered(lowered_page) else None
        self._credits = _held(_CAPTION_CREDIT, held, holding) if self._credit else None

    def reason(self, index: int) -> str | None:
        """`chrome_reason(blocks[index])`."""
        return self.reasons((index,)).get(index)

    def reasons(self, indices: Iterable[int]) -> dict[int, str]:
        """`reason(index)` of each of `indices` that has one: the same steps in one loop, with what each block
        reads looked up once (a call per block cost more than most blocks' rules)."""
        found: dict[int, str] = {}
        blocks, lowered_blocks, held, credit = self.blocks, self.lowered, self._held, self._credit
        phrases_held, credits = self._phrases, self._credits
        for index in indices:
            lowered = lowered_blocks[index]
            if phrases_held is None:
                phrases = _CHROME_PHRASE.count(lowered, 2)
            else:
                phrases = _CHROME_PHRASE.count_among(lowered, 2, own) if (own := phrases_held[index]) else 0
            block = blocks[index]
            interface = _INTERFACE_ASCII is None or not block.isascii() or \
                (bool(literals := held[index]) and not _INTERFACE_WORDS.isdisjoint(literals))
            reason = _chrome_reason(block, lowered, phrases, credit, credits[index] if credits is not None else (),
                                    interface)
            if reason is not None:
                found[index] = reason
        return found

    def appeals(self) -> set[int]:
        """`appeal_blocks(blocks)`."""
        may_match = [True] * len(self.blocks) if self._appeals is None else [bool(held) for held in self._appeals]
        return _appeal_blocks(self.blocks, self.lowered, may_match)


def _held(gate: GatedPattern, held: list[tuple[str, ...]], holding: list[int]) -> list[tuple[str, ...]] | None:
    """The gate's literals each lowercased block holds, of all the gates' it holds (`held`; `holding`: the
    blocks holding any, a few a page); None for a gate without literals (no block is ruled out)."""
    own = _OWN_LITERALS.get(gate)
    if own is None:
        return None
    found: list[tuple[str, ...]] = [()] * len(held)
    for index in holding:
        found[index] = tuple(literal for literal in held[index] if literal in own)
    return found


_OWN_LITERALS = {gate: frozenset(gate.literals) for gate in (_CHROME_PHRASE, _APPEAL_PHRASE, _CAPTION_CREDIT)
                 if gate.literals is not None}


def repeated_blocks(blocks: Sequence[str], copies: Counter[str] | None = None) -> tuple[set[int], set[int]]:
    """Blocks that occur more than once on the page, and those of them that are sentences.

    Repeated sentences are picture captions shown twice by a gallery or teasers listed in two widgets: an
    article does not repeat its own paragraphs. A repeated headline or name may be the article's title or
    byline coming back in a breadcrumb, so only sentences (long blocks, or ones ending like a sentence)
    are chrome; every repeat is part of a widget, though, which is no break in the article around it.
    `copies` is `Counter(blocks)` when the caller has it already.
    """
    seen = copies if copies is not None else Counter(blocks)
    repeated = {i for i, block in enumerate(blocks) if seen[block] > 1}
    return repeated, {i for i in repeated if _is_sentence(blocks[i])}


def _is_sentence(block: str) -> bool:
    words = len(block.split())
    return words >= REPEAT_MIN_WORDS or (words >= 5 and block.endswith(TERMINAL_PUNCTUATION))


def appeal_blocks(blocks: Sequence[str]) -> set[int]:
    """Donation and subscription appeals: blocks with appeal phrases and the blocks they bracket.

    A lone block with an appeal phrase counts only if it addresses the reader outside quotes, and a long
    one holding only words news uses too ('Spenden', 'donation') only beside a block that is an appeal on its
    own, so a news report about donations stays.
    """
    lowered = [block.lower() for block in blocks]
    return _appeal_blocks(blocks, lowered, [_APPEAL_PHRASE.may_match(text) for text in lowered])


def _appeal_blocks(blocks: Sequence[str], lowered: Sequence[str], may_match: Sequence[bool]) -> set[int]:
    """`may_match`: whether each lowercased block holds a literal of the appeal phrases' gate."""
    hits, strong = [], []
    for i, block in enumerate(blocks):
        if not may_match[i]:
            continue
        found = [match.group(0) for match in APPEAL_PHRASE.finditer(lowered[i])]
        if found:
            hits.append(i)
            strong.append(len(block.split()) < APPEAL_CALL_WORDS or not all(map(APPEAL_NOUN.fullmatch, found)))
    marked: set[int] = set()
    for position, index in enumerate(hits):
        following = hits[position + 1] if position + 1 < len(hits) else None
        preceding = hits[position - 1] if position > 0 else None
        # A paragraph naming donations ('die Spenden an die Partei') is news, not an appeal: it joins an
        # appeal only beside a block that is one on its own (a short call, or an appeal's own words).
        with_following = following is not None and following - index <= _APPEAL_GAP + 1 and \
            (strong[position] or strong[position + 1])
        with_preceding = preceding is not None and index - preceding <= _APPEAL_GAP + 1 and \
            (strong[position] or strong[position - 1])
        if not strong[position] and not (with_following or with_preceding):
            continue
        following = following if with_following else None
        if with_following or with_preceding:
            marked.add(index)
            if following is not None and following - index <= _APPEAL_GAP + 1:
                marked.update(range(index, following + 1))
        elif _PERSONAL.search(_QUOTED.sub("", blocks[index])):
            marked.add(index)
    return marked
