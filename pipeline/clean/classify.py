"""The block classifier: every block gets evidence from the page, then a verdict decided in context.

Like jusText, a block is first judged on its own (length, stop-word density in the page's language,
punctuation, chrome cues) as good, near-good, short or bad; a second pass settles short and near-good
blocks from their neighbours. News pages add one more thing jusText lacks: the article is one region.
Comment threads and teasers of other stories are prose too, so the body is the strongest run of good
blocks, joined across small gaps (an inline "Read more" link, a picture credit) but not across a
section boundary ("Comments", "Related articles") nor a long stretch of chrome.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import filterfalse

from pipeline.clean.chrome import GATE_LITERALS
from pipeline.clean.cues import COMMENT_BOUNDARY, COMMENT_COUNT, READ_ALSO, SECTION_BOUNDARY, TERMINAL_PUNCTUATION
from pipeline.clean.page_literals import joined_holding_any
from pipeline.clean.page_text import UNSPACED_CHARACTERS, PageText
from pipeline.clean.prefilter import ascii_literals
from pipeline.clean.stopwords import has_stoplist, stopwords
from pipeline.clean.word_counts import SEPARATOR, available, page_counts

_WORD = re.compile(r"\w+")
# The characters whose casefold holds a character on the other side of `\w` ('İ' to 'i' and a combining dot,
# a combining iota to 'ι'): in a
# block holding one, folding the block before tokenizing it would split or join words (a test rebuilds the
# list from Unicode). All but U+0345 fold to more than one character, so a block whose folding keeps its
# length and lacks U+0345 holds none.
_FOLD_SPLITS = re.compile("[\u0130\u01f0\u0345\u0390\u03b0\u1e96-\u1e99\u1f50\u1f52\u1f54\u1f56\u1fb6\u1fb7"
                          "\u1fc6\u1fc7\u1fd2\u1fd3\u1fd6\u1fd7\u1fe2-\u1fe4\u1fe6\u1fe7\u1ff6\u1ff7]")
_FOLD_SPLITS_SAME_LENGTH = "\u0345"

# jusText's defaults (characters and stop-word shares), which its authors tuned on web pages.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
# A run of good blocks may bridge this many non-good blocks and still be one article.
MAX_GAP_BLOCKS = 4
# ... or this many when the gap holds an item's number ('2', '#3', 'Step 4', '3 von 17'): the next item of a
# list article or a recipe's steps, after the current item's address, prices or picture.
LIST_GAP_BLOCKS = 10
_ITEM_NUMBER = re.compile(r"^(?:#?\d{1,2}[.)]?|(?:step|schritt|krok|étape|paso|passo|stap|vaihe)\s*\d{1,2}[.:]?|"
                          r"\d{1,2}\s*(?:/|of|von|de|di|z|van|av)\s*\d{1,2})$", re.IGNORECASE)
# A run this many times heavier than the region so far, and close after it, continues the article.
CONTINUATION_RATIO = 2.0
CONTINUATION_MAX_GAP = 12
# Text above a comment heading that makes it the article's end rather than a link in the header.
BEFORE_COMMENTS_MIN_WORDS = 40
# A comment count may open a short call to comment.
COMMENT_COUNT_MAX_WORDS = 14
# A section heading is short: only blocks this short are tried against the boundary cues.
BOUNDARY_MAX_WORDS = 8
# Scripts written without spaces: a character there carries about what a few letters carry elsewhere.
_UNSPACED = re.compile(f"[{UNSPACED_CHARACTERS}]")
UNSPACED_CHAR_WEIGHT = 3


class Verdict(Enum):
    GOOD = "good"
    NEAR = "near"
    SHORT = "short"
    BAD = "bad"


# The members as plain names: on Python 3.11 `Verdict.GOOD` is a look-up through the enum class (~0.1 us,
# against ~0.03 for a global), and the passes below read verdicts a dozen times a block.
GOOD, NEAR, SHORT, BAD = Verdict.GOOD, Verdict.NEAR, Verdict.SHORT, Verdict.BAD


# What a short block heads (`Evidence.heading`), as bits: a section after the text ('Related articles'), an
# inline link to another story ('Read also:'), the comments, a count of comments opening a call to write one.
SECTION = 1
READ_ALSO_LINK = 2
COMMENT_SECTION = 4
COMMENT_CALL = 8


@dataclass(slots=True)
class Evidence:
    """What one block says about itself; kept small and computed in one pass over its words.

    `heading` holds what the block heads (SECTION ... COMMENT_CALL bits, 0 for most blocks): the runs of
    the article are looked for several times per page, and remembered short blocks recur on a site's pages.
    Read-only by convention (remembered evidence is shared between pages), not `frozen`: a frozen dataclass
    sets each field through `object.__setattr__`, 1.7 against 0.5 us a block.
    """

    chars: int
    words: int
    stopword_share: float
    terminal: bool
    heading: int


def count_words(text: str) -> int:
    """Words, counting a character of a script written without spaces (CJK, Thai) as half a word."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(_WORD.findall(text))
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + unspaced // 2


def count_body_words(body: str, evidence: Sequence[Evidence], unspaced: bool = True) -> int:
    """`count_words(body)` of a body joined from blocks with this evidence, without reading it again.

    Each block's evidence counts its words, which is what count_words counts when no character of a
    script written without spaces is in the body (those are counted on the whole text, by halves).
    `unspaced`: False when the page is known to hold none (`PageText.unspaced`): the body is not searched.
    """
    if unspaced and _UNSPACED.search(body):
        return count_words(body)
    return sum(e.words for e in evidence)


def block_evidence(block: str, stops: frozenset[str] | None) -> Evidence:
    """Without a stop-word list for the language, sentence punctuation stands in for stop words."""
    terminal = block.endswith(TERMINAL_PUNCTUATION)
    if stops is None:
        unspaced = len(_UNSPACED.findall(block))
        chars = len(block) + (UNSPACED_CHAR_WEIGHT - 1) * unspaced
        words = count_words(block)
        return Evidence(chars, words, STOPWORDS_HIGH if terminal else 0.0, terminal, _heading(block, words))
    words, hits = _count_stopwords(block, stops)
    return Evidence(len(block), words, hits / words if words else 0.0, terminal, _heading(block, words))


def _count_stopwords(block: str, stops: frozenset[str]) -> tuple[int, int]:
    """The `\\w+` words of a block and how many are stop words, as `_WORD.findall` and a casefold of each
    word count them, with `re` run on few of the words and `casefold` once.

    A whitespace-separated chunk that is all letters or digits (`isalnum`, `\\w` but for '_') is one word,
    and nine chunks in ten are (no whitespace character is a `\\w` one); only the chunks with punctuation in
    them are joined and tokenized by the regex. The block is casefolded whole, which folds each word as
    folding it alone would (`casefold` looks at no neighbour), unless it holds a character whose folding
    is a word character and a mark or the like (`_FOLD_SPLITS`, Greek and Turkish 'İ'): then word by word.
    """
    folded = block.casefold()
    if not (block.isascii() or (len(folded) == len(block) and _FOLD_SPLITS_SAME_LENGTH not in block)
            or not _FOLD_SPLITS.search(block)):
        tokens = _WORD.findall(block)
        return len(tokens), sum(map(stops.__contains__, map(str.casefold, tokens)))
    chunks = folded.split()
    plain = list(filter(str.isalnum, chunks))
    mixed = _WORD.findall(" ".join(filterfalse(str.isalnum, chunks)))
    return len(plain) + len(mixed), sum(map(stops.__contains__, plain)) + sum(map(stops.__contains__, mixed))


def _heading(block: str, words: int, section: bool = True) -> int:
    """What a block of this many words heads: a section heading is short (BOUNDARY_MAX_WORDS), a comment
    count opens at most a short call (COMMENT_COUNT_MAX_WORDS). `section`: False when the block cannot be
    a section heading (an ASCII block without the literals of SECTION_BOUNDARY)."""
    if words <= BOUNDARY_MAX_WORDS and section and SECTION_BOUNDARY.match(block):
        return SECTION | (READ_ALSO_LINK if READ_ALSO.match(block) else 0) | \
            (COMMENT_SECTION if COMMENT_BOUNDARY.match(block) else 0)
    if words <= COMMENT_COUNT_MAX_WORDS and COMMENT_COUNT.match(block):
        return COMMENT_CALL
    return 0


# Navigation and footer lines recur on every page of a site: the evidence of short blocks is remembered
# (long ones seldom recur, and would make the cache big) when it is computed block by block.
EVIDENCE_CACHE_SIZE = 4096
CACHED_BLOCK_CHARS = 300
_remembered_evidence = lru_cache(maxsize=EVIDENCE_CACHE_SIZE)(block_evidence)


# An ASCII block is a section heading only if its lowercase holds one of these (cues in other scripts need none).
_SECTION_ASCII = ascii_literals(SECTION_BOUNDARY)
_SECTION_LITERALS = frozenset(_SECTION_ASCII or ())
# The literals a page's rules look for in its blocks' lowercase, in one pass (`PageText.held`): the chrome
# gates' and then the section headings'.
PAGE_LITERALS = GATE_LITERALS + tuple(literal for literal in _SECTION_ASCII or () if literal not in GATE_LITERALS)


def page_evidence(blocks: Sequence[str], language: str | None, text: PageText | None = None) -> list[Evidence]:
    """`block_evidence` of each block; with a stop list, the words of the whole page counted in one compiled
    pass when the kernels are built (`_page_stopword_counts`); short ASCII blocks are asked SECTION_BOUNDARY
    only when they hold one of its ASCII literals (`_section_candidates`). `text`: the page's PageText, when
    the caller has it (its casefold and, asked for PAGE_LITERALS, the literals each block holds are read
    from it)."""
    stops = stopwords(language) if has_stoplist(language) or not _is_unspaced(language) else None
    counts = _page_stopword_counts(blocks, stops, text) if stops is not None else None
    if counts is None:
        return [_remembered_evidence(block, stops) if len(block) <= CACHED_BLOCK_CHARS else
                block_evidence(block, stops) for block in blocks]
    sections = _section_candidates(blocks, counts, text)
    # A block longer than the longest heading cue (COMMENT_COUNT_MAX_WORDS >= BOUNDARY_MAX_WORDS) heads nothing.
    return [_remembered_counted(block, words, hits, section) if words <= COMMENT_COUNT_MAX_WORDS else
            Evidence(len(block), words, hits / words, block.endswith(TERMINAL_PUNCTUATION), 0)
            for block, (words, hits), section in zip(blocks, counts, sections, strict=True)]


def _section_candidates(blocks: Sequence[str], counts: list[tuple[int, int]], text: PageText | None = None
                        ) -> list[bool]:
    """Whether each block may be a section heading: not when it is longer than BOUNDARY_MAX_WORDS, nor when
    it is ASCII and holds none of SECTION_BOUNDARY's ASCII literals, looked for in the short ASCII blocks'
    lowercase in one compiled pass (the cue list costs a few us a block, 48 `in` tests as much), or read
    from the page's own pass (`text` asked for PAGE_LITERALS)."""
    candidates = [words <= BOUNDARY_MAX_WORDS for words, _ in counts]
    short = [i for i, block in enumerate(blocks) if candidates[i] and block.isascii()]
    if not short or _SECTION_ASCII is None:
        return candidates
    if text is not None and text.literals is PAGE_LITERALS:
        page_held = text.held()
        for index in short:
            candidates[index] = any(literal in _SECTION_LITERALS for literal in page_held[index])
        return candidates
    held = joined_holding_any(_SECTION_ASCII, chr(SEPARATOR).join(blocks[i].lower() for i in short), len(short))
    if held is not None:  # else the kernels are not built: every short block is asked
        for index, found in zip(short, held, strict=True):
            candidates[index] = found
    return candidates


def _counted_evidence(block: str, words: int, hits: int, section: bool = True) -> Evidence:
    """`block_evidence` of a block whose words and stop words are counted."""
    return Evidence(len(block), words, hits / words if words else 0.0, block.endswith(TERMINAL_PUNCTUATION),
                    _heading(block, words, section))


# A short block's heading cues cost more than its count (a site's menu lines recur on each of its pages).
_remembered_counted = lru_cache(maxsize=EVIDENCE_CACHE_SIZE)(_counted_evidence)


def _page_stopword_counts(blocks: Sequence[str], stops: frozenset[str], text: PageText | None = None
                          ) -> list[tuple[int, int]] | None:
    """`_count_stopwords` of every block, from one casefold of the page and one compiled pass over it; None
    when the kernels are not built or a block holds the separator. The blocks holding a character whose
    folding crosses a word's edge (`_FOLD_SPLITS`, looked for only when the page's tests do not rule them
    all out) are counted again on their own. `text`: the page's PageText, whose casefold (often its
    lowercase, already encoded) is read."""
    if not available():
        return None
    if not blocks:
        return []
    if text is not None:
        joined, folded = text.joined, text.folded()
    else:
        joined = chr(SEPARATOR).join(blocks)
        folded = joined.casefold() if joined.count(chr(SEPARATOR)) == len(blocks) - 1 else None
    if joined is None or folded is None:
        return None
    counts = page_counts(folded, len(blocks), stops, text.points(folded) if text is not None else None)
    if counts is None or joined.isascii() or (len(folded) == len(joined) and _FOLD_SPLITS_SAME_LENGTH not in joined) \
            or not _FOLD_SPLITS.search(joined):
        return counts
    for index, block in enumerate(blocks):
        if _FOLD_SPLITS.search(block):
            counts[index] = _count_stopwords(block, stops)
    return counts


def _is_unspaced(language: str | None) -> bool:
    return (language or "").split("-")[0] in {"ja", "zh", "ko", "th"}


def initial_verdict(evidence: Evidence, chrome: bool) -> Verdict:
    """jusText's first pass: a block on its own."""
    if chrome:
        return BAD
    if evidence.chars < LENGTH_LOW:
        return SHORT
    if evidence.stopword_share >= STOPWORDS_HIGH:
        return GOOD if evidence.chars > LENGTH_HIGH or evidence.terminal else NEAR
    if evidence.stopword_share >= STOPWORDS_LOW:
        return NEAR
    return BAD


def context_pass(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """jusText's second pass: short blocks take their neighbours' verdict; near-good ones join good text.

    The nearest deciding neighbours are found in four linear sweeps, so a page of thousands of short
    blocks costs no more than its length.
    """
    n = len(verdicts)
    previous, previous_any = _nearest(verdicts, range(n))
    following, following_any = _nearest(verdicts, range(n - 1, -1, -1))
    settled = list(verdicts)
    for i, verdict in enumerate(verdicts):
        if verdict is not SHORT:
            continue
        before, after = previous[i], following[i]
        if before is GOOD and after is GOOD:
            settled[i] = GOOD
        elif before is BAD and after is BAD:
            settled[i] = BAD
        elif (before is BAD and previous_any[i] is NEAR) or (
                after is BAD and following_any[i] is NEAR):
            settled[i] = GOOD
        else:
            settled[i] = BAD
    for i, verdict in enumerate(verdicts):
        if verdict is NEAR:
            bad_both = previous[i] is BAD and following[i] is BAD
            settled[i] = BAD if bad_both else GOOD
    return settled


def _nearest(verdicts: Sequence[Verdict], order: range) -> tuple[list[Verdict], list[Verdict]]:
    """For each block, the verdict of the nearest deciding block before it in `order` (BAD at the edge):
    good or bad, and good, bad or near-good; both in one sweep."""
    nearest = [BAD] * len(verdicts)
    nearest_any = [BAD] * len(verdicts)
    last = last_any = BAD
    for i in order:
        nearest[i] = last
        nearest_any[i] = last_any
        verdict = verdicts[i]
        if verdict is GOOD or verdict is BAD:
            last = last_any = verdict
        elif verdict is NEAR:
            last_any = verdict
    return nearest, nearest_any


def article_runs(blocks: Sequence[str], verdicts: Sequence[Verdict], evidence: Sequence[Evidence],
                 start: int = 0) -> tuple[list[list[int]], list[float]]:
    """The runs of good blocks from `start` on, joined across small gaps but never across a section
    boundary, with their weights (characters, more for text rich in stop words)."""
    runs, weights, _ = _runs(blocks, verdicts, evidence, start)
    return runs, weights


def _runs(blocks: Sequence[str], verdicts: Sequence[Verdict], evidence: Sequence[Evidence],
          start: int) -> tuple[list[list[int]], list[float], list[bool]]:
    """`article_runs`, and for each run whether a boundary that only ends an article (its comments: related
    links and share boxes also stand inside articles) comes before it."""
    runs: list[list[int]] = []
    after_boundary: list[bool] = []
    gap_blocks = 0
    boundary = False
    ending = False
    numbered = False
    since_number = 0
    link = False
    for i in range(start, len(blocks)):
        if link:  # the headline an inline 'Read also:' links to
            link = False
            gap_blocks += 1
        elif (heading := evidence[i].heading) & SECTION:
            if runs and gap_blocks == 0 and heading & READ_ALSO_LINK:
                link = True  # right after a paragraph: one link inside the text, which goes on below it
                gap_blocks += 1
                continue
            boundary = True
            ending = ending or bool(heading & COMMENT_SECTION)
            gap_blocks += 1
        elif heading & COMMENT_CALL:
            boundary = ending = True
            gap_blocks += 1
        elif verdicts[i] is GOOD:
            joins = runs and not boundary and \
                (gap_blocks <= MAX_GAP_BLOCKS or (numbered and since_number <= LIST_GAP_BLOCKS))
            if joins:
                runs[-1].append(i)
            else:
                runs.append([i])
                after_boundary.append(ending)
            gap_blocks = 0
            boundary = ending = numbered = False
        else:
            gap_blocks += 1
            since_number += 1
            # Item numbers chain: a list's short items (a recipe's steps) follow each other without prose.
            if evidence[i].words <= 3 and (since_number if numbered else gap_blocks) <= LIST_GAP_BLOCKS and \
                    _ITEM_NUMBER.match(blocks[i]):
                numbered, since_number = True, 0
    weights = [sum(evidence[i].chars * (0.5 + evidence[i].stopword_share) for i in run) for run in runs]
    return runs, weights, after_boundary


def strongest_run(blocks: Sequence[str], verdicts: Sequence[Verdict],
                  evidence: Sequence[Evidence]) -> tuple[list[int], float]:
    """The heaviest run of the page and its weight."""
    runs, weights = article_runs(blocks, verdicts, evidence)
    if not runs:
        return [], 0.0
    best = max(range(len(runs)), key=weights.__getitem__)
    return runs[best], weights[best]


def article_region(blocks: Sequence[str], verdicts: Sequence[Verdict], evidence: Sequence[Evidence],
                   start: int = 0, lead_share: float = 0.4, before_boundary: bool = False) -> list[int]:
    """The indices of the article body: a run of good blocks from `start` on (see `article_runs`); the
    first run at least `lead_share` as strong as the strongest one (teasers of other stories and comment
    threads come after the article); with `before_boundary`, only runs before the comments count.
    A lead (standfirst, teaser of the story itself) parted from a much heavier run that follows without
    a section boundary takes that run along: the article goes on."""
    runs, weights, after_boundary = _runs(blocks, verdicts, evidence, start)
    if before_boundary and any(after_boundary[1:]):
        # The article ends where its comments begin: a short post is still the article, not the long
        # comment thread under it (a 'Comments' link in the header, above any text, ends nothing).
        cut = after_boundary.index(True, 1)
        if sum(evidence[i].words for run in runs[:cut] for i in run) >= BEFORE_COMMENTS_MIN_WORDS:
            runs, weights, after_boundary = runs[:cut], weights[:cut], after_boundary[:cut]
    if not runs:
        return []
    strongest = max(weights)
    best = next(k for k, weight in enumerate(weights) if weight >= lead_share * strongest)
    region, weight = list(runs[best]), weights[best]
    for k in range(best + 1, len(runs)):
        if after_boundary[k] or weights[k] < CONTINUATION_RATIO * weight or \
                runs[k][0] - region[-1] > CONTINUATION_MAX_GAP:
            break
        region.extend(runs[k])
        weight += weights[k]
    return region
