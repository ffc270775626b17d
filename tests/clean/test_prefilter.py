"""The literal gate before a regex must never change what the regex finds."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.clean.cues import APPEAL_PHRASE, CHROME_PHRASE
from pipeline.clean.prefilter import GatedPattern, required_literals


def test_literals_of_a_small_pattern() -> None:
    assert required_literals(re.compile(r"\bcookies?\b|privacy\s+policy|s[ií]guenos\s+en")) == (
        "cookie", "guenos", "privacy")
    # Each branch is covered by its longest literal; one containing another is dropped.
    assert required_literals(re.compile(r"(sign\s+up|sign\s?in)|(ab)+c")) == ("ab", "sign")


def test_no_literals_when_a_branch_can_match_without_one() -> None:
    assert required_literals(re.compile(r"cookie|\d{4}")) is None
    assert required_literals(re.compile(r"(?:cookie)?\s+")) is None
    assert required_literals(re.compile(r"cookie", re.IGNORECASE)) is None
    assert required_literals(re.compile(r"a(?i:cookie)")) == ("a",)


@pytest.mark.parametrize("pattern", [CHROME_PHRASE, APPEAL_PHRASE], ids=["chrome", "appeal"])
def test_gate_finds_what_the_pattern_finds(pattern: re.Pattern[str]) -> None:
    gate = GatedPattern(pattern)
    assert gate.literals, "the phrase list should have literals to test first"
    rng = random.Random(7)
    # Texts built from the phrase lists' own words, ordinary words and punctuation: many match, many not.
    words = [w for literal in gate.literals for w in literal.split()] + [
        "the", "to", "on", "us", "our", "your", "der", "uns", "auf", "page", "2023", "(c)", "©", "free", "account",
        "policy", "settings", "of", "use", "and", "conditions", "rights", "all", "se", "nous", "votre", ",", "."]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    texts += ["all rights reserved", "follow us on twitter", "sign up for our newsletter", "(c) 2024 the site",
              "support our journalism", "faire un don", "a report on the city council", ""]
    matched = 0
    for text in texts:
        assert gate.findall(text) == pattern.findall(text), text
        assert bool(gate.search(text)) == bool(pattern.search(text)), text
        matched += bool(pattern.search(text))
    assert 100 < matched < len(texts) - 100  # the texts exercised both outcomes
