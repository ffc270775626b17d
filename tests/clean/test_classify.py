"""The block classifier: first pass on a block alone, context pass, and the article region."""

from __future__ import annotations

import random
import re
import sys

from pipeline.clean.classify import (
    _FOLD_SPLITS,
    _FOLD_SPLITS_SAME_LENGTH,
    Verdict,
    article_region,
    block_evidence,
    context_pass,
    count_body_words,
    count_words,
    initial_verdict,
    page_evidence,
)
from pipeline.clean.stopwords import stopwords

PROSE_EN = ("The council said on Monday that the new bridge would open in the spring, after a winter of delays "
            "that were caused by the weather and by a shortage of steel across the region.")
PROSE_DE = ("Der Stadtrat hat am Montag beschlossen, dass die neue Brücke im Frühjahr eröffnet werden soll, nachdem "
            "es im Winter wegen des Wetters und wegen fehlenden Stahls zu Verzögerungen gekommen war.")
MENU = "Home Politics Business Sport Culture Weather Travel Podcasts Newsletters Video Photography Live"


def verdicts(blocks: list[str], language: str = "en") -> list[Verdict]:
    return [initial_verdict(e, False) for e in page_evidence(blocks, language)]


def test_prose_is_good_and_menus_are_bad_in_their_language() -> None:
    assert verdicts([PROSE_EN, MENU]) == [Verdict.GOOD, Verdict.BAD]
    assert verdicts([PROSE_DE], "de") == [Verdict.GOOD]
    # German prose scored with English stop words looks like a menu: the language matters.
    assert verdicts([PROSE_DE], "en") == [Verdict.BAD]


def test_body_words_from_the_evidence_are_the_body_text_words() -> None:
    """The record's word count is taken from the blocks' evidence: it must be count_words of the body."""
    cjk = "東京都は月曜日、新しい橋が春に開通すると発表した。"
    pages = [[PROSE_EN, MENU, "Read more", "42 comments", "l'été 2023 — ça va?"], [PROSE_DE, "Über uns"],
             [cjk, PROSE_EN], ["", "_ _", "x"]]
    for blocks in pages:
        body = "\n\n".join(blocks)
        for language in ("en", "de", "ja", "zh", None):
            assert count_body_words(body, page_evidence(blocks, language)) == count_words(body), (blocks, language)


def test_stopword_share_is_that_of_the_regex_words() -> None:
    """The words are split on whitespace and only chunks with punctuation go through `re`: the counts must be
    those of `\\w+` on the whole block, casefolded, whatever the characters (underscores, digits, case that
    folds to two letters, Unicode spaces and punctuation)."""
    alphabet = list("aeiouTHEDERßİIı_0123'’,.-—«»:;!?()ΣςσÉÀŉΐῦ\u0345\u00a0\u2009\u3000\t\n 东京") + \
        ["the ", "DER ", "die ", "Über ", "and ", "et ", "le "]
    rng = random.Random(6)
    for language in ("en", "de", "fr"):
        stops = stopwords(language)
        for _ in range(3000):
            block = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            tokens = re.findall(r"\w+", block)
            hits = sum(token.casefold() in stops for token in tokens)
            evidence = block_evidence(block, stops)
            assert evidence.words == len(tokens), block
            assert evidence.stopword_share == (hits / len(tokens) if tokens else 0.0), block


def test_the_characters_whose_folding_crosses_word_boundaries_are_all_listed() -> None:
    """A block is casefolded whole unless it holds one of these: rebuilt here from Unicode."""
    word = re.compile(r"\w")
    crossing = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = char.casefold()
        if any(bool(word.match(part)) != bool(word.match(char)) for part in folded):
            crossing.append(char)
            assert len(folded) > 1 or char in _FOLD_SPLITS_SAME_LENGTH
    assert crossing == [char for char in map(chr, range(sys.maxunicode + 1)) if _FOLD_SPLITS.match(char)]


def test_short_blocks_and_chrome() -> None:
    assert verdicts(["Read more"]) == [Verdict.SHORT]
    evidence = page_evidence([PROSE_EN], "en")[0]
    assert initial_verdict(evidence, chrome=True) is Verdict.BAD


def test_context_pass_follows_jusText() -> None:
    g, b, s, n = Verdict.GOOD, Verdict.BAD, Verdict.SHORT, Verdict.NEAR
    # A short block between good ones (a subheading) is good; between bad ones (a menu item) bad.
    assert context_pass([g, s, g]) == [g, g, g]
    assert context_pass([b, s, b]) == [b, b, b]
    # Near-good text joins good text unless bad text surrounds it; the page edges count as bad.
    assert context_pass([g, n, b]) == [g, g, b]
    assert context_pass([b, n, b]) == [b, b, b]
    assert context_pass([s, g]) == [b, g]


def test_context_pass_equals_jusTexts_neighbour_search() -> None:
    """The sweeps give what looking for each block's nearest deciding neighbours one by one gives."""
    import random

    def nearest(verdicts: list[Verdict], i: int, step: int, deciding: set[Verdict]) -> Verdict:
        j = i + step
        while 0 <= j < len(verdicts) and verdicts[j] not in deciding:
            j += step
        return verdicts[j] if 0 <= j < len(verdicts) else Verdict.BAD

    def by_hand(verdicts: list[Verdict]) -> list[Verdict]:
        good_bad, with_near = {Verdict.GOOD, Verdict.BAD}, {Verdict.GOOD, Verdict.BAD, Verdict.NEAR}
        settled = list(verdicts)
        for i, verdict in enumerate(verdicts):
            before, after = nearest(verdicts, i, -1, good_bad), nearest(verdicts, i, 1, good_bad)
            if verdict is Verdict.SHORT:
                if before is after and before in good_bad:
                    settled[i] = before
                elif (before is Verdict.BAD and nearest(verdicts, i, -1, with_near) is Verdict.NEAR) or (
                        after is Verdict.BAD and nearest(verdicts, i, 1, with_near) is Verdict.NEAR):
                    settled[i] = Verdict.GOOD
                else:
                    settled[i] = Verdict.BAD
            elif verdict is Verdict.NEAR:
                settled[i] = Verdict.BAD if before is after is Verdict.BAD else Verdict.GOOD
        return settled

    rng = random.Random(2)
    for _ in range(2000):
        verdicts = [rng.choice(list(Verdict)) for _ in range(rng.randint(0, 12))]
        assert context_pass(verdicts) == by_hand(verdicts), verdicts


def test_context_pass_is_linear_on_long_pages() -> None:
    many = [Verdict.SHORT] * 50_000 + [Verdict.GOOD]
    assert context_pass(many)[-1] is Verdict.GOOD


def test_region_stops_at_a_comment_heading_and_prefers_the_first_strong_run() -> None:
    comment = "I could not agree more with what the council said, and I think that the bridge is a good idea."
    blocks = [MENU, PROSE_EN, PROSE_EN, "Comments", "Add your reply", comment, comment, comment]
    evidence = page_evidence(blocks, "en")
    settled = context_pass([initial_verdict(e, False) for e in evidence])
    assert article_region(blocks, settled, evidence) == [1, 2]


def test_words_of_scripts_without_spaces() -> None:
    assert count_words("two words") == 2
    assert count_words("報道によると、今回販売されたのは") > 5


def test_stopword_lists_come_from_justext() -> None:
    assert {"the", "and"} <= stopwords("en")
    assert {"und", "der"} <= stopwords("de")
    assert "the" in stopwords("xx")  # an unknown language falls back to the European union of lists


def test_a_numbered_list_article_is_one_run_across_its_items_details() -> None:
    from pipeline.clean.classify import article_runs, context_pass, initial_verdict, page_evidence

    item = ("A 320 metre long path at a height of 23 metres winds between the buildings of the old sanatorium "
            "and the treetops, and it is open in every season of the year.")
    blocks = ["1", "Over the treetops", item, "Street 13, 14547 Town", "Monday to Sunday: 10 to 19",
              "13.50 Euro, reduced 12 Euro", "More info", "Credit: Jane Doe", "2", "Sauna raft on the lake", item]
    evidence = page_evidence(blocks, "en")
    verdicts = context_pass([initial_verdict(e, False) for e in evidence])
    runs, _ = article_runs(blocks, verdicts, evidence)
    assert len(runs) == 1 and runs[0][0] == 2 and runs[0][-1] == 10
