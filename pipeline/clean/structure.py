"""The article's header: title, subtitle (standfirst) and authors, found around the dateline."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.clean.cues import BYLINE_PREFIX

_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ŽА-Я][\w'’.\-]*$")
_NAME_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos", "bin", "al", "y"}
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\boraz\b|\bja\b)\s*")
_AFTER_NAME = re.compile(r"\s*(\||•|·|—|–| - |\bin\b|\bfor\b|\bpublished\b|\bupdated\b|\d).*$", re.IGNORECASE)
_SLUG_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@dataclass(slots=True)
class Header:
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    indices: set[int] = field(default_factory=set)


def is_headline(block: str) -> bool:
    """Headline shape: a handful of words, not a sentence ending in a full stop."""
    words = len(block.split())
    return 3 <= words <= 40 and not block.endswith((".", ":", ";", ",")) and not block.startswith(("©", "http"))


def looks_like_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitalised = [t for t in tokens if t.lower() not in _NAME_PARTICLES]
    return len(capitalised) >= 2 and all(_NAME_TOKEN.match(t) for t in capitalised)


def parse_byline(block: str) -> list[str]:
    """Authors named by a byline block ('By A and B', 'Von A', or a bare name), else []."""
    if len(block.split()) > 16:
        return []
    prefixed = BYLINE_PREFIX.match(block)
    text = block[prefixed.end():] if prefixed else block
    text = _AFTER_NAME.sub("", text).strip()
    names = [part.strip() for part in _AUTHOR_SEPARATORS.split(text) if part and part.strip()]
    if names and all(looks_like_name(name) for name in names):
        return names
    if prefixed and names and all(1 <= len(name.split()) <= 4 for name in names):
        return names
    return []


def slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    return {word.lower() for word in _SLUG_WORD.findall(urlsplit(url).path)}


def find_header(blocks: Sequence[str], anchor: int | None, body_start: int, url: str | None,
                excluded: set[int]) -> Header:
    """Title, subtitle and authors from the blocks before the body.

    The dateline (`anchor`) and a byline beside it mark the header; the title and standfirst are the
    run of headline-shaped blocks just above them. Without an anchor, the headline-shaped block just
    above the body, or the one sharing most words with the URL, is the title.
    """
    header = Header()
    limit = body_start if anchor is None else max(anchor, 0)
    if anchor is not None:
        header.indices.add(anchor)
        for index in (anchor - 1, anchor + 1, anchor - 2):
            if 0 <= index < len(blocks) and index not in excluded and index < body_start:
                authors = parse_byline(blocks[index])
                if authors:
                    header.authors = authors
                    header.indices.add(index)
                    limit = min(limit, index)
                    break
    else:
        for index in range(min(body_start, len(blocks))):
            if index not in excluded and BYLINE_PREFIX.match(blocks[index]):
                authors = parse_byline(blocks[index])
                if authors:
                    header.authors = authors
                    header.indices.add(index)
                    limit = index
                    break
    run: list[int] = []
    index = limit - 1
    while index >= 0 and (index in excluded or is_headline(blocks[index])):
        if index not in excluded:
            run.insert(0, index)
        index -= 1
    slug = slug_words(url)
    if slug:
        best = max(range(min(body_start, len(blocks))), key=lambda i: _slug_overlap(blocks[i], slug), default=None)
        strong = best is not None and _slug_overlap(blocks[best], slug) >= 0.6 and is_headline(blocks[best])
        if strong and best not in run:
            run = [best, *[i for i in run if i > best]][:2]
    if len(run) >= 2:
        header.title, header.subtitle = blocks[run[-2]], blocks[run[-1]]
        header.indices.update(run[-2:])
    elif run:
        header.title = blocks[run[-1]]
        header.indices.add(run[-1])
    return header


def _slug_overlap(block: str, slug: set[str]) -> float:
    words = {word.lower() for word in _SLUG_WORD.findall(block)}
    return len(words & slug) / len(slug) if slug else 0.0
