"""Unicode and whitespace normalization: one canonical form of the text before anything reads it."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import numpy as np

from pipeline.aot_builds import code_points, printable_table
from pipeline.clean.word_counts import compiled

# Spaces that render like a space: no-break, en/em/thin/hair, narrow no-break, ideographic...
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\v\f]")
# Invisible characters that only break tokens: zero-width, joiners, word joiner, BOM, soft hyphen,
# and C0/C1 controls other than the newline.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACE_RUN = re.compile(r" {2,}")
# UTF-8 read as cp1252 somewhere upstream ('fÃ¼r' for 'für', 'Â«' for '«'): a lead byte's character
# followed by continuation bytes' characters. Runs of such characters are repaired when they decode.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE_MARK = re.compile(f"[ÂÃ][\u00a0-\u00bf{_CP1252_HIGH}]")
_MOJIBAKE_RUN = re.compile(f"[\u00c2-\u00f4][\u00a0-\u00bf{_CP1252_HIGH}]+")
# So many marks before a text is taken for mojibake (one 'Ã©' may be a name or a quoted example).
MOJIBAKE_MIN_MARKS = 3


def repair_mojibake(text: str) -> str:
    """UTF-8 text that was decoded as cp1252 before it reached us, put back; other text is unchanged."""
    if "Ã" not in text and "Â" not in text:  # every mark starts with one: most pages are spared the regex scan
        return text
    if len(_MOJIBAKE_MARK.findall(text, 0, len(text))) < MOJIBAKE_MIN_MARKS:
        return text
    return _MOJIBAKE_RUN.sub(_redecode, text)


def _redecode(match: re.Match[str]) -> str:
    run = match[0]
    try:
        return run.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return run


def normalize_text(text: str) -> str:
    """NFC, plain spaces, no invisible characters, unified newlines, mojibake repaired; blank lines kept."""
    return _normalize_repaired(repair_mojibake(text))


def _normalize_repaired(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def split_blocks(text: str) -> list[str]:
    """The page's text blocks, whitespace collapsed inside each.

    A rendered page's text has one visual block per line (blank lines between them are optional), so
    every non-empty line is a block.
    """
    return _blocks(text, text.split("\n"))


def _blocks(text: str, lines: list[str], printable: bool | None = None) -> list[str]:
    """split_blocks of `text` split at newlines into `lines`; `printable`: whether every line is, if known."""
    if _collapsed(text, lines, printable):  # most pages: no line to rebuild word by word
        return [line for line in lines if line]
    blocks = (" ".join(line.split()) for line in lines)
    return [block for block in blocks if block]


def stored_blocks(text: str) -> list[str]:
    """`split_blocks(text)`, fast when the text is in the stored form (blocks joined by one blank line).

    Pages are split again on later stages (the site-chrome count, cleaning) after ingestion stored them in
    that form: then the blocks are the pieces between blank lines, found with one `str.split`. Any other
    text goes through `split_blocks`.
    """
    blocks = _stored_pieces(text)
    return split_blocks(text) if blocks is None else blocks


def _stored_pieces(text: str) -> list[str] | None:
    """The blocks of `text` if it is in the stored form, else None."""
    stored = _stored_form(text)
    if stored is False:
        return None
    blocks = text.split("\n\n")
    if stored is None and not _pieces_are_blocks(text, blocks):
        return None
    return blocks


def _pieces_are_blocks(text: str, pieces: list[str]) -> bool:
    """Whether the pieces of `text` between blank lines are its blocks: each of its newlines is in a separator,
    no piece is empty and none has whitespace to collapse."""
    return text.count("\n") == 2 * (len(pieces) - 1) and "" not in pieces and _collapsed(text, pieces)


@cache
def _printable() -> np.ndarray:
    """`str.isprintable` of each code point of planes 0-2 (for all of Unicode it would take ~70 ms to compute;
    a text holding a code point past it is checked in Python): mapped from the table saved at install, else
    computed once per process (~10-20 ms)."""
    return printable_table()


def warm_up() -> None:
    """Load the printable table, e.g. once in a process that forks workers."""
    _printable()


def _stored_form(text: str) -> bool | None:
    """Whether `text` is in the stored form, by one compiled pass over its code points (the checks below cost
    ~60 us a bench page in C string scans: `isprintable` per piece and five substring searches); None
    without the build, or for a text holding a code point past the table."""
    kernels = compiled()
    if kernels is None:
        return None
    form = kernels.stored_form(code_points(text), _printable())
    return None if form < 0 else bool(form)


def _collapsed(text: str, lines: list[str], printable: bool | None = None) -> bool:
    """Whether no line of `text` (`lines`: it split at newlines) has whitespace to collapse: only printable
    characters (every whitespace character but the space is a control or a separator, which `isprintable`
    rejects), no run of spaces and none at a line's edge. Whole-text tests in C, instead of splitting
    every line into words and joining them again. `printable` is the first test's answer, if known."""
    if printable is None:
        printable = all(map(str.isprintable, lines))
    return printable and "  " not in text and " \n" not in text and \
        "\n " not in text and not text.startswith(" ") and not text.endswith(" ")


def normalized_blocks(text: str) -> list[str]:
    """`split_blocks(normalize_text(text))`: the blocks of the page's canonical form.

    Most pages hold nothing for the rewrites: every character they replace or remove (carriage returns,
    line and paragraph separators, odd spaces, invisible and control characters) is unprintable, so a
    page whose every line is printable only goes through NFC, and its lines are split and checked once.
    """
    text = repair_mojibake(text)
    lines = text.split("\n")
    if not all(map(str.isprintable, lines)):
        return split_blocks(_normalize_repaired(text))
    composed = unicodedata.normalize("NFC", text)
    if composed != text:  # rare: decomposed accents; the composed text is split and checked anew
        return split_blocks(composed)
    return _blocks(text, lines, printable=True)


def normalize_page(text: str) -> str:
    """The canonical stored form of a page: normalized blocks separated by one blank line."""
    return "\n\n".join(normalized_blocks(text))


def normalized_page(text: str) -> tuple[str, list[str]]:
    """`normalize_page(text)` and its blocks. A text already in that form (pages written one block per line, a
    blank line between, as many dumps are) is returned itself: one compiled check of the form instead of
    splitting it at every newline, testing each line and joining the blocks again."""
    if text and "Ã" not in text and "Â" not in text:  # no mojibake to repair (repair_mojibake's own test)
        blocks = _stored_pieces(text)
        if blocks is not None and unicodedata.normalize("NFC", text) == text:  # the same str when it is NFC
            return text, blocks
    blocks = normalized_blocks(text)
    return "\n\n".join(blocks), blocks
