"""One page to one article: weigh every block's evidence, find the header and the body, keep the evidence."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from pipeline.clean.chrome import PageChrome, repeated_blocks
from pipeline.clean.classify import (
    BAD,
    BOUNDARY_MAX_WORDS,
    GOOD,
    PAGE_LITERALS,
    Verdict,
    article_region,
    context_pass,
    count_body_words,
    initial_verdict,
    page_evidence,
    strongest_run,
)
from pipeline.clean.cues import BIO_OPENING, INGREDIENTS_HEADING, READ_ALSO
from pipeline.clean.dates import Dateline, PageDates, parse_published_at
from pipeline.clean.normalize import stored_blocks
from pipeline.clean.page_text import PageText
from pipeline.clean.site_chrome import SiteChromeModel
from pipeline.clean.stopwords import function_words
from pipeline.clean.structure import find_header, title_anchor
from pipeline.langid import UNDETERMINED, LanguageGuess, detect_language
from pipeline.schema import Article, Page, Rejection

# How much of the page's longest text the language is detected on: enough to be sure, cheap to run.
LANGUAGE_SAMPLE_CHARS = 1500
# Fewer letters than this in a whole page: numbers, symbols or URLs, not text in any language.
MIN_LETTERS_FOR_LANGUAGE = 20
# How far before the body a dateline may stand and still head it.
HEADER_ZONE_BLOCKS = 12
# After the title, the first run of prose this share as strong as the strongest is the article.
AFTER_TITLE_SHARE = 0.1
# An author's box is looked for among the body's last blocks, with up to 3 short heading lines above it.
AUTHOR_BOX_TAIL = 4
AUTHOR_BOX_HEADING_LINES = 3
AUTHOR_BOX_HEADING_WORDS = 6
# How far above the steps a recipe's ingredients heading is looked for, and how long a line of its list is.
INGREDIENTS_LOOKBACK = 60
INGREDIENT_LINE_WORDS = 12
# At least one line in this many under the heading holds an amount.
INGREDIENT_AMOUNT_SHARE = 3
# A title shown more often than this is a listing's label; its copies are not weighed (each costs a pass).
MAX_TITLE_COPIES = 4
# A short line on the page this many times is a widget's label, not article text.
WIDGET_LABEL_COPIES = 3
# A title found inside the main prose whose following text is less than this share of it is a subheading.
INSIDE_TITLE_SHARE = 0.5


def content_hash(body: str) -> str:
    """The identity of an article's text for exact-duplicate detection."""
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


def language_sample(blocks: Iterable[str]) -> str:
    """The text a language is detected on: the longest blocks, longest first (page order among equals), until
    LANGUAGE_SAMPLE_CHARS are reached, one per line. Prose outweighs the short lines of chrome a page keeps,
    and the answer is as sure as on the whole text at a fraction of the cost."""
    sample, size = [], 0
    for block in sorted(blocks, key=len, reverse=True):
        sample.append(block)
        size += len(block)
        if size >= LANGUAGE_SAMPLE_CHARS:
            break
    return "\n".join(sample)


def page_language(blocks: list[str], removed: dict[int, str]) -> tuple[str, LanguageGuess]:
    """The language of the page's prose, detected on the sample of its blocks that are not chrome; with
    the sample, so that the record's language can reuse the answer when its body gives the same sample."""
    sample = language_sample(b for i, b in enumerate(blocks) if i not in removed)
    return sample, detect_language(sample)


def extract_article(page: Page, site_model: SiteChromeModel, min_body_words: int = 20) -> Article | Rejection:
    """The page's article, or a Rejection saying why there is none.

    Site evidence never takes a whole article: a story scraped again on later nights repeats all its
    paragraphs, so when blocks seen on other pages leave no body, the page is read on its own evidence.
    """
    blocks = stored_blocks(page.text)
    site_repeats = set(site_model.chrome_blocks(page.source, blocks, page.fingerprints))
    text = PageText(blocks, PAGE_LITERALS)
    chrome = PageChrome(blocks, text)
    result = _extract(page, blocks, text, chrome, site_repeats, min_body_words)
    if isinstance(result, Rejection) and result.reason == "no_article" and site_repeats:
        return _extract(page, blocks, text, chrome, set(), min_body_words)
    return result


def _extract(page: Page, blocks: list[str], text: PageText, chrome: PageChrome, site_repeats: set[int],
             min_body_words: int) -> Article | Rejection:
    removed: dict[int, str] = {}
    reasons = chrome.reasons(index for index in range(len(blocks)) if index not in site_repeats)
    for index in range(len(blocks)):  # in page order: the record counts the reasons in the order first met
        if index in site_repeats:
            removed[index] = "site_repeat"
        elif index in reasons:
            removed[index] = reasons[index]
    for index in chrome.appeals():
        removed.setdefault(index, "appeal")

    sample, guess = page_language(blocks, removed)
    language = None if guess.language == UNDETERMINED else guess.language
    languages = [language] if language else None
    evidence = page_evidence(blocks, language, text)
    first_pass = [initial_verdict(e, i in removed) for i, e in enumerate(evidence)]
    verdicts = context_pass(first_pass)
    title_index = title_anchor(blocks, page.url, set(removed))
    region = []
    if title_index is not None:
        title_index = _heading_copy(blocks, title_index, verdicts, evidence, removed)
    if title_index is not None:  # the article follows the title the URL names, even a short one
        region = article_region(blocks, verdicts, evidence, start=title_index + 1, lead_share=AFTER_TITLE_SHARE,
                                        before_boundary=True)
        strongest, weight = strongest_run(blocks, verdicts, evidence)
        inside = strongest and strongest[0] < title_index <= strongest[-1] + 2
        # A heading matching the URL after the main prose with no prose of its own close below it: a
        # link to the article's series or topic in a box after the article.
        after = strongest and title_index > strongest[-1] + 2 and \
            (not region or region[0] > title_index + HEADER_ZONE_BLOCKS)
        if (inside or after) and _weight(region, evidence) < INSIDE_TITLE_SHARE * weight:
            # A headline matching the URL inside the page's main prose, followed by little: a subheading
            # of the article (or a recipe card) that repeats its words; the title is above the prose.
            title_index = title_anchor(blocks, page.url, set(removed), before=strongest[0])
            region = []
            if title_index is not None:
                region = article_region(blocks, verdicts, evidence, start=title_index + 1,
                                        lead_share=AFTER_TITLE_SHARE,
                                        before_boundary=True)
        elif region and any(verdicts[i] is GOOD for i in range(max(0, title_index - 2), title_index)):
            title_index, region = _card_after_post(blocks, verdicts, evidence, removed, page.url, title_index,
                                                   region)
    if _words(region, evidence) < min_body_words:
        title_index = None
        region = article_region(blocks, verdicts, evidence, before_boundary=True)
    if _words(region, evidence) < min_body_words:
        region = [i for i, v in enumerate(verdicts) if v is GOOD]
    # Sentences shown twice on the page (gallery captions, teasers in two widgets) are not article text;
    # they are left out only now, so that they do not part the article's paragraphs around them.
    chrome_before, copies = set(removed), Counter(blocks)
    repeated, sentences = repeated_blocks(blocks, copies)
    for index in sorted(sentences):
        if index > 0 and blocks[index - 1] == blocks[index] and index - 1 not in chrome_before and \
                copies[blocks[index]] == 2:
            continue  # a paragraph doubled in place (a teaser and the text it opens): one copy is the text
        removed.setdefault(index, "page_repeat")
    # A line of words shown again and again (a gallery's 'Bild anzeigen' between a recipe's steps) is a
    # widget's label; a line of code repeated in a tutorial is not.
    for index in repeated - sentences:
        if copies[blocks[index]] >= WIDGET_LABEL_COPIES and blocks[index].replace(" ", "").isalpha():
            removed.setdefault(index, "page_repeat")
    region = _with_ingredients(region, blocks, evidence, title_index)
    for index in range(region[0], region[-1]) if region else ():
        if evidence[index].words <= BOUNDARY_MAX_WORDS and READ_ALSO.match(blocks[index]):
            removed.setdefault(index + 1, "link")  # the other story's headline after an inline 'Read also:'
    region = _cut_author_box(_fill_gaps(region, blocks, removed), blocks)
    body_start = region[0] if region else len(blocks)

    dateline = _find_dateline(blocks, removed, body_start, region, languages, page.url)
    anchor = dateline.index if dateline is not None and 0 <= dateline.index < body_start else None
    # A headline shown twice (the page's heading and its share box) is left out of the body as a repeat,
    # but it may still be the title.
    header_excluded = {i for i, reason in removed.items() if reason != "page_repeat"}
    header = find_header(blocks, title_index, body_start, anchor, header_excluded, function_words(language),
                         region[-1] + 1 if region else None,
                         (dateline.index, dateline.as_written) if dateline is not None else None, page.url)
    body_indices = [i for i in region if i not in header.indices and (dateline is None or i != dateline.index)]
    body = "\n\n".join(blocks[i] for i in body_indices)
    word_count = count_body_words(body, [evidence[i] for i in body_indices], text.unspaced())
    if word_count < min_body_words:
        letters = sum(character.isalpha() for character in page.text)
        if letters < MIN_LETTERS_FOR_LANGUAGE:
            return Rejection(page.doc_id, page.source_file, "clean", "no_language_evidence",
                             f"{page.source_file}: {letters} letters in {len(blocks)} blocks: no text to read "
                             "or to tell the language of", page.text.encode("utf-8"))
        return Rejection(page.doc_id, page.source_file, "clean", "no_article",
                         f"{page.source_file}: no article text found ({word_count} words of body in "
                         f"{len(blocks)} blocks)", page.text.encode("utf-8"))

    body_set = set(body_indices)
    for index in range(len(blocks)):
        if index in body_set or index in header.indices or index in removed:
            continue
        if dateline is not None and index == dateline.index:
            continue
        removed[index] = "boilerplate" if verdicts[index] is BAD else "outside_body"
    published_at, as_written = None, None
    if page.published_hint:
        published_at, as_written = parse_published_at(page.published_hint, languages), page.published_hint
    if published_at is None and dateline is not None:
        published_at, as_written = dateline.published_at, dateline.as_written
    article = Article(
        doc_id=page.doc_id,
        source=page.source,
        source_file=page.source_file,
        url=page.url,
        title=page.title_hint or header.title,
        subtitle=header.subtitle,
        authors=header.authors,
        published_at=published_at,
        published_at_as_written=as_written,
        body=body,
        word_count=word_count,
        content_hash=content_hash(body),
        blocks_total=len(blocks),
        blocks_removed=dict(Counter(removed.values())),
        body_confidence=body_confidence(body_indices, first_pass, evidence),
        input_encoding=page.input_encoding,
        repairs=page.repairs,
    )
    # The record's language is detected on its body's sample (pipeline.run.tag_language); when that is the
    # page's sample, the answer is at hand. 'und' stays unset: tag_language quarantines on it.
    if guess.language != UNDETERMINED and language_sample(blocks[i] for i in body_indices) == sample:
        article.language, article.language_score = guess.language, guess.score
    return article


def _heading_copy(blocks: list[str], title_index: int, verdicts: list[Verdict], evidence: list,
                  removed: dict[int, str]) -> int:
    """Of the copies of the title the URL names, the one heading the heaviest text close below it: a
    headline shown in a menu or a list of latest stories above the article heads only other headlines."""
    title = blocks[title_index]
    copies = [i for i in range(title_index + 1, len(blocks)) if blocks[i] == title and i not in removed]
    if not copies or len(copies) > MAX_TITLE_COPIES:  # a headline on every teaser of a listing heads nothing
        return title_index
    best, best_weight = title_index, -1.0
    for index in (title_index, *copies):
        region = article_region(blocks, verdicts, evidence, start=index + 1, lead_share=AFTER_TITLE_SHARE,
                                before_boundary=True)
        # A copy heads an article only with more than one paragraph close below it (not a teaser's summary).
        near = index == title_index or (len(region) > 1 and region[0] - index <= HEADER_ZONE_BLOCKS)
        weight = _weight(region, evidence) if near else 0.0
        if weight > best_weight:
            best, best_weight = index, weight
    return best


def _card_after_post(blocks: list[str], verdicts: list[Verdict], evidence: list, removed: dict[int, str],
                     url: str | None, title_index: int, region: list[int]) -> tuple[int, list[int]]:
    """A heading the URL names right below prose that an earlier, fuller title heads: the card of a recipe
    (or a product, a fact box) closing a post. The post and the card are one article, under the first title,
    whether the post's run stops above the card or runs on through it."""
    earlier = title_anchor(blocks, url, set(removed), before=title_index)
    if earlier is None:
        return title_index, region
    post = article_region(blocks, verdicts, evidence, start=earlier + 1, lead_share=AFTER_TITLE_SHARE,
                          before_boundary=True)
    if not post or post[0] - earlier > HEADER_ZONE_BLOCKS or post[-1] < title_index - 2 or post[0] > title_index:
        return title_index, region
    return earlier, post + [i for i in region if i > post[-1]]


def _with_ingredients(region: list[int], blocks: list[str], evidence: list, title_index: int | None) -> list[int]:
    """The body with the recipe's ingredients above its steps: a short list of names and amounts under an
    'Ingredients' heading is no prose, but it is the recipe."""
    if not region:
        return region
    first = max(title_index + 1 if title_index is not None else 0, region[0] - INGREDIENTS_LOOKBACK)
    for index in range(region[0] - 1, first - 1, -1):
        if evidence[index].words > INGREDIENT_LINE_WORDS:
            break  # prose or a paragraph of something else: no list between the heading and the steps
        if evidence[index].words <= 3 and INGREDIENTS_HEADING.match(blocks[index]):
            # A list of amounts ('150 g', '2 łyżki'), not a menu with an 'Ingredients' entry; the lines are read
            # for digits only under a heading (most pages have none).
            amounts = sum(any(map(str.isdigit, blocks[line])) for line in range(index + 1, region[0]))
            if amounts * INGREDIENT_AMOUNT_SHARE >= region[0] - index:
                return [index, *region]
            break
    return region


def _cut_author_box(region: list[int], blocks: list[str]) -> list[int]:
    """The body without the author's box at its foot: a self-introduction or bio among the last blocks,
    with the short heading lines above it (the name, 'Über Kathrin', 'Redakteur für ...')."""
    for position in range(max(1, len(region) - AUTHOR_BOX_TAIL), len(region)):
        if BIO_OPENING.match(blocks[region[position]]):
            cut = position
            while cut > 1 and position - cut < AUTHOR_BOX_HEADING_LINES and \
                    len(blocks[region[cut - 1]].split()) <= AUTHOR_BOX_HEADING_WORDS:
                cut -= 1
            return region[:cut]
    return region


def _fill_gaps(region: list[int], blocks: list[str], removed: dict[int, str]) -> list[int]:
    """The blocks between the body's first and last that are not chrome: a paragraph thin in stop words,
    a subheading or a list item inside the article is still the article."""
    if not region:
        return region
    return [i for i in range(region[0], region[-1] + 1) if i not in removed]


def _weight(indices: list[int], evidence: list) -> float:
    return sum(evidence[i].chars * (0.5 + evidence[i].stopword_share) for i in indices)


def _words(indices: list[int], evidence: list) -> int:
    return sum(evidence[i].words for i in indices)


def body_confidence(body: list[int], first_pass: list[Verdict], evidence: list) -> float:
    """How sure the body is, in [0, 1]: the share of its words that looked like prose on their own
    (not only by their neighbours), times the share of the page's prose that the body holds (a page
    whose prose is split among several regions leaves doubt about which is the article)."""
    words = sum(evidence[i].words for i in body)
    direct = sum(evidence[i].words for i in body if first_pass[i] is GOOD)
    prose = sum(e.words for e, v in zip(evidence, first_pass, strict=True) if v is GOOD)
    if not words or not prose:
        return 0.0
    return round((direct / words) * (direct / prose), 4)


def _find_dateline(blocks: list[str], removed: dict[int, str], body_start: int, region: list[int],
                   languages: list[str] | None, url: str | None) -> Dateline | None:
    """The dateline near the header first, then just after the body, then anywhere that is not chrome.

    Only those zones' blocks are shown to the date finder: a date in a teaser far from the article is not
    the article's date. Each block is read once, whichever zones show it.
    """
    body_end = region[-1] if region else len(blocks)
    zones = [(max(0, body_start - HEADER_ZONE_BLOCKS), body_start + 3), (body_end + 1, body_end + 8),
             (0, len(blocks))]
    dates = PageDates(blocks, languages, url, collapsed=True)
    for first, last in zones:
        found = dates.find(i for i in range(first, min(last, len(blocks))) if i not in removed)
        if found is not None:
            return found
    return None
