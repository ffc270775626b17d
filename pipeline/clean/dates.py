"""Find and parse a page's publication time (first version; superseded by the multilingual one)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import dateparser

_YEAR = re.compile(r"\b(19[9]\d|20\d\d)\b")
_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TO_TIMEZONE": "UTC",
    "TIMEZONE": "UTC",
    "PARSERS": ["absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
}


@dataclass(frozen=True, slots=True)
class Dateline:
    index: int
    published_at: dt.datetime
    as_written: str


def parse_published_at(text: str, languages: Sequence[str] | None = None) -> dt.datetime | None:
    """One string to a UTC datetime, or None; never raises."""
    try:
        parsed = dateparser.parse(text, languages=list(languages) if languages else None, settings=_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.astimezone(dt.UTC) if parsed else None


def find_dateline(blocks: Sequence[str], languages: Sequence[str] | None = None,
                  url: str | None = None) -> Dateline | None:
    """The first short block that parses as a full date."""
    for index, block in enumerate(blocks):
        if len(block) <= 80 and _YEAR.search(block):
            parsed = parse_published_at(block, languages)
            if parsed is not None:
                return Dateline(index, parsed, block)
    return None
