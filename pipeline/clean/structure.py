"""The article's header: title, subtitle (standfirst) and authors, found around the dateline."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from urllib.parse import urlsplit

from pipeline.clean.cues import AUTHOR_LINK, AUTHOR_LINK_NAMED, BYLINE_PREFIX, INTERFACE_WORDS, ROLE_WORDS

_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ŽА-Я][\w'’.\-]*$")
_NAME_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos", "bin", "al", "y"}
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\boraz\b|\bja\b)\s*")
_AFTER_NAME = re.compile(r"\s*(\||•|·|—|–| - |/|\(|\bin\b|\bfor\b|\bpublished\b|\bupdated\b|\bam\b|\bon\b|\ble\b|"
                         r"\bel\b|\bil\b|\d).*$", re.IGNORECASE)
_SLUG_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"})
_SLUG_NOISE = {"html", "htm", "php", "aspx", "jsp", "shtml", "www", "news", "article", "articles", "story", "stories",
               "index", "amp", "post", "posts", "blog", "page", "content", "detail", "artikel", "nachrichten"}
# A byline inside a block: an introducing word (any case) and the capitalised name after it, which may
# stand among a date, a category or a photo credit ('Posted on 21. Juli 2019 by Jane', 'Text von A B').
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-Я][\w'’.\-]*"
_INLINE_BYLINE = re.compile(
    r"(?:^|(?<=[\s|/·•,:;(]))(?P<word>(?i:(?:written|posted|words|story|photos?\s+and\s+text)\s+by|by|von|"
    r"(?:text|gespeichert|geschrieben|erstellt|artikel)\s+von|text(?:\s*(?:&|und|and)\s*fotos?)?(?=\s*:)|autor(?:in)?|author|interview(?=\s*:)|"
    r"quelle(?=\s*:)|source(?=\s*:)|par|por|door|przez|av|af|kirjoittanut|автор))(?:\s*:\s*|\s+)"
    rf"(?P<name>(?P<first>[^\W\d_][\w'’.\-]*)(?:\s+(?:{_NAME_WORD}|(?:{'|'.join(sorted(_NAME_PARTICLES))})(?=\s+[A-Z]))){{0,4}})"
)
# A name under an academic title, perhaps with initials and followed by a position ('Dr. Karin J. Schmitz
# Abteilung Öffentlichkeitsarbeit', 'Prof. Dr. Hans Weber'): the title and the initials mark a person.
_TITLED_NAME = re.compile(
    rf"^(?P<name>(?:(?:Dr|Prof|PD|Mag|Dipl\.-Ing|Ing|Mgr|Doc)\.\s*(?:(?:med|phil|rer\.\s*nat|habil)\.\s*)?)+"
    rf"{_NAME_WORD}(?:\s+[A-ZÀ-ÖØ-Þ]\.)*\s+(?:(?:{'|'.join(sorted(_NAME_PARTICLES))})\s+)?{_NAME_WORD})(?:\s|,|$)")
# A name and the agency that holds the picture's rights: 'A B / Agency'.
_AGENCY_CREDIT = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}\s*/\s*[^\W\d_][\w.\-]*$")
# Byline words that introduce a name only at the start of a block or after a date or a separator:
# inside a sentence they are prepositions ('eine Rede von Angela Merkel').
_PLAIN_BYLINE_WORDS = {"by", "von", "par", "por", "door", "przez", "av", "af"}
_AFTER_DATE_OR_SEPARATOR = re.compile(r"(?:\d|[|/·•,:;(\-–—])\s*$")
# A source beside the date, with its full name in brackets: 'Empa (Eidgenössische Materialprüfungs- und
# Forschungsanstalt)', 'DLR (Deutsches Zentrum für Luft- und Raumfahrt)'.
_NAMED_SOURCE = re.compile(
    rf"^(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s+\((?:{_NAME_WORD}[\s\-]*){{2,}}[^()]*\)$")
# Separators between the parts of a dateline that may hold the author ('04.02.2022 | 15:33 Uhr | A B').
_DATELINE_PARTS = re.compile(r"\s*(?:\||/|·|•|,|;|–|—| - |\bam\b|\bum\b|\bon\b|\bat\b|\bUhr\b)\s*")
# A byline word alone on its line ('Von', 'Artikel von:', 'By'): the name is the next block.
_BYLINE_WORD_ALONE = re.compile(
    r"^(?:by|written\s+by|posted\s+by|von|text|autor(?:in)?|author|(?:text|artikel|beitrag)\s+von|par|por|door|"
    r"przez|av|af|kirjoittanut|автор)\s*:?$", re.IGNORECASE)
# How many blocks around the header a byline is looked for.
BYLINE_ABOVE_TITLE = 3
BYLINE_INTO_BODY = 12
# A name alone, perhaps with a date ('Christian Kahle, 03.11.2023 15:32 Uhr'), away from the header.
BARE_BYLINE_MAX_WORDS = 8
# A block longer than this is a sentence, whatever byline word it holds.
INLINE_BYLINE_MAX_WORDS = 24
_DIGITS_RUN = re.compile(r"\d[\d.:]*")
# The title: how far above the body it is looked for, and how its evidence is weighed.
TITLE_LOOKBACK = 12
TITLE_MAX_WORDS = 30
TITLE_MIN_LETTERS = 3
_MIN_LETTERS = re.compile(rf"(?:[^\W\d_][\W\d_]*){{{TITLE_MIN_LETTERS}}}")
TITLE_DISTANCE_COST = 0.1
TITLE_SLUG_WEIGHT = 3.0
TITLE_SHOWN_ELSEWHERE = 1.0
TITLE_WORD_BONUS = 0.1
TITLE_BELOW_DATELINE = 0.8
TITLE_MENU_ITEM = 0.5
TITLE_SITE_SUFFIX = 0.5
# How far above the dateline a headline is looked for, and how many words make one.
HEADLINE_ABOVE_DATELINE = 4
HEADLINE_MIN_WORDS = 4
# A label of at most this many words right above a headline twice its length is a kicker, not the title.
KICKER_MAX_WORDS = 3
KICKER_HEADLINE_MAX_WORDS = 20
KICKER_HEADLINE_TO_DATELINE = 2
# How far into the body a dateline may stand with the headline above it.
HEADER_INSIDE_BODY = 10
# A block matching the slug at least this well (Dice) is the title.
MIN_SLUG_SCORE = 0.5
# Words match the slug on their first letters: 'hydrangeas' and 'hydrangea', 'Regeln' and 'regel'.
SLUG_STEM = 7
# A byline alone on its line inside the body: its introducing word and a name of up to 4 words.
PREFIXED_BYLINE_MAX_WORDS = 5
# A link to the author's page is a short line; the name stands at most this many blocks above it.
AUTHOR_LINK_MAX_WORDS = 10
AUTHOR_LINK_MAX_CHARS = 120
AUTHOR_LINK_LOOKBACK = 3
# How far after the body's last block a byline is looked for.
BYLINE_AFTER_BODY = 6
# How far above the body the title is looked for without a URL (blocks that are not chrome).
TITLE_SEARCH_BLOCKS = 6


@dataclass(slots=True)
class Header:
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    indices: set[int] = field(default_factory=set)


def _more_words_than(block: str, limit: int) -> bool:
    """`len(block.split()) > limit`, without splitting a paragraph past its first `limit` words: the header's
    rules ask it of the body's long blocks too."""
    return len(block.split(None, limit)) > limit


def is_headline(block: str) -> bool:
    """Headline shape: a handful of words, not a sentence ending in a full stop."""
    if block.endswith((".", ":", ";", ",")) or block.startswith(("©", "http")):
        return False  # most of a page's long blocks: told without splitting them
    return 3 <= len(block.split(None, 40)) <= 40  # up to 41 parts: 41 means more than 40 words


def looks_like_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    if sum(token.isupper() and len(token) > 2 for token in tokens) >= 2:  # 'MAGAZINE SUBSCRIPTION'
        return False
    if any(token.casefold() in INTERFACE_WORDS for token in tokens):  # 'View Comments'
        return False
    capitalised = [t for t in tokens if t.lower() not in _NAME_PARTICLES]
    return len(capitalised) >= 2 and all(_NAME_TOKEN.match(t) for t in capitalised)


def parse_byline(block: str, stops: frozenset[str] = frozenset(), prefixed_only: bool = False) -> list[str]:
    """Authors named by a byline block ('By A and B', 'Von A', or a bare name), else [].

    A bare name holds no stop word of the page's language (`stops`): German capitalises every noun, and
    'Die Ausstellung' is no one's name.
    """
    if _more_words_than(block, 16):
        return []
    if not prefixed_only and (titled := _TITLED_NAME.match(block)):
        return [titled["name"]]
    prefixed = BYLINE_PREFIX.match(block)
    if not prefixed and (prefixed_only or any(word.casefold() in stops for word in block.split())):
        return []
    text = block[prefixed.end():] if prefixed else block
    text = _AFTER_NAME.sub("", text).strip()
    names = [part.strip() for part in _AUTHOR_SEPARATORS.split(text) if part and part.strip()]
    if names and all(looks_like_name(name) for name in names):
        return names
    if prefixed and names and all(1 <= len(name.split()) <= 4 for name in names):
        return names
    return []


def inline_byline(block: str, stops: frozenset[str] = frozenset()) -> list[str]:
    """The author a byline word introduces anywhere in a short block ('Posted on 1 May by Jane Doe'), else []."""
    if _more_words_than(block, INLINE_BYLINE_MAX_WORDS):
        return []
    for match in _INLINE_BYLINE.finditer(block):
        name = match["name"].strip(" .,")
        first = match["first"]
        if first.casefold() in stops or (first[0].islower() and len(name.split()) > 1):
            continue  # 'by the way'; a lowercase handle stands alone ('von rasos am ...')
        if match.start() > 0 and match["word"].casefold() in _PLAIN_BYLINE_WORDS and \
                not _AFTER_DATE_OR_SEPARATOR.search(block, 0, match.start()):
            continue
        if sum(token.isupper() and len(token) > 2 for token in name.split()) >= 2:
            continue  # 'TV SCHEDULE'
        rest = block[match.end():].lstrip()
        if len(name.split()) == 1 and match.start() > 0 and rest and not _AFTER_NAME.match(" " + rest) and \
                not rest.startswith((",", "|", "/", "-", "–", "—", "(")):
            continue  # one capitalised word inside a sentence is a noun, not a name
        names = [part for part in _AUTHOR_SEPARATORS.split(name) if part]
        if names and all(1 <= len(part.split()) <= 5 for part in names):
            return names
    return []


def split_byline(blocks: Sequence[str], index: int, excluded: set[int]) -> list[str]:
    """The name after a byline word standing alone on its line ('Von' / 'Ursula Baatz'), else []."""
    if not _BYLINE_WORD_ALONE.match(blocks[index].strip()):
        return []
    following = index + 1
    if following >= len(blocks) or following in excluded:
        return []
    name = blocks[following].strip(" .,")
    if not 1 <= len(name.split()) <= 5 or not name[:1].isalpha() or _DIGITS_RUN.search(name):
        return []
    return [part for part in _AUTHOR_SEPARATORS.split(name) if part]


def _credit_above_byline(blocks: Sequence[str], index: int, stops: frozenset[str]) -> bool:
    """A name with its agency ('Hanna Matikainen / Lehtikuva') right above a bare name: the picture's
    credit, and the writer's byline below it."""
    following = index + 1
    return _AGENCY_CREDIT.match(blocks[index]) is not None and following < len(blocks) and \
        "/" not in blocks[following] and bool(parse_byline(blocks[following], stops))


def author_link(blocks: Sequence[str], excluded: set[int], stops: frozenset[str] = frozenset()
                ) -> tuple[list[str], int | None]:
    """The author an author's box names by its link to their page, anywhere on the page: 'Mehr Artikel
    von Stefanus', or a name just above 'Kirjoittajan muut jutut' / 'zu allen Rezepten vom Autor'.
    Returns the names and the index of the block holding them."""
    for index, block in enumerate(blocks):
        if len(block) > AUTHOR_LINK_MAX_CHARS or _more_words_than(block, AUTHOR_LINK_MAX_WORDS):
            continue
        if (named := AUTHOR_LINK_NAMED.match(block.strip())) and 1 <= len(named["name"].split()) <= 4 and \
                named["name"][0].isupper() and named["name"].split()[0].casefold() not in stops:
            return [named["name"]], None
        if AUTHOR_LINK.match(block.strip()):
            for above in range(index - 1, max(-1, index - 1 - AUTHOR_LINK_LOOKBACK), -1):
                if above in excluded or _more_words_than(blocks[above], BARE_BYLINE_MAX_WORDS):
                    continue
                if (names := parse_byline(blocks[above], stops)) and all(looks_like_name(n) for n in names):
                    return names, above
    return [], None


def dateline_author(block: str, written: str, stops: frozenset[str] = frozenset()) -> list[str]:
    """A name standing beside the date in a dateline ('Tina Klostermeier 15.12.2022', '04.02.2022 | A B')."""
    if _more_words_than(block, 16) or not written or written not in block:
        return []
    rest = _DIGITS_RUN.sub(" | ", block.replace(written, " | "))
    for part in _DATELINE_PARTS.split(rest):
        part = part.strip(" .:")
        if looks_like_name(part) and not any(word.casefold() in stops for word in part.split()):
            return [part]
        if source := _NAMED_SOURCE.match(part.lstrip("-–— ")):  # 'Empa (Eidgenössische Materialprüfungs- und ...)'
            return [source["name"]]
    return []


# Combining characters (accents and other marks) lie below this code point, in this Python's Unicode (a test
# checks all code points above it).
COMBINING_BELOW = 0x20000


@cache
def _without_marks() -> dict[int, None]:
    """`str.translate` table dropping every combining character (~15 ms, once per process)."""
    return {code: None for code in range(COMBINING_BELOW) if unicodedata.combining(chr(code))}


def _fold(text: str) -> str:
    """Words as URL slugs write them: casefolded, umlauts spelled out, accents dropped."""
    text = text.casefold().translate(_SPELLED_OUT)
    if text.isascii():  # nothing to decompose nor to drop: the common case, checked in one C call
        return text
    return unicodedata.normalize("NFKD", text).translate(_without_marks())


@lru_cache(maxsize=4096)
def _folded_block(block: str) -> str:
    """`_fold` of a headline-shaped block, remembered: its stems are read after its folded text is searched
    for the slug's (`_shares_no_stem`), `title_anchor` runs up to three times a page, and a site's menus and
    teasers recur on its pages (folding a non-ASCII block decomposes it: a few us)."""
    return _fold(block)


def slug_words(url: str | None) -> set[str]:
    """The words of a URL's path that can name the story (not 'html', 'news', 'article' and the like)."""
    if not url:
        return set()
    return {word for word in _SLUG_WORD.findall(_fold(urlsplit(url).path)) if word not in _SLUG_NOISE}


@lru_cache(maxsize=4096)
def _stems(block: str) -> frozenset[str]:
    """A block's words as a slug writes them, cut to their stems; remembered, as the title is looked for
    among the same headlines up to three times a page, and a site's menus and teasers recur."""
    return frozenset(word[:SLUG_STEM] for word in _SLUG_WORD.findall(_folded_block(block)))


def _slug_score(block: str, slug: set[str]) -> float:
    """Dice overlap of a block's words with the slug's: a title scores high, a breadcrumb holding it less."""
    if not slug:  # a page without a URL (or a slug of noise words): no block's words need reading
        return 0.0
    return _dice(_stems(block), {word[:SLUG_STEM] for word in slug})


def _dice(words: frozenset[str], slug: set[str]) -> float:
    if not words:
        return 0.0
    return 2 * len(words & slug) / (len(words) + len(slug))


def _shares_no_stem(block: str, stems: set[str]) -> bool:
    """True when the block shares no word with the slug (it scores 0), told without reading its words: each
    of the block's stems stands in its folded text (an ASCII block's is its lowercase)."""
    folded = block.lower() if block.isascii() else _folded_block(block)
    return not any(stem in folded for stem in stems)


def title_anchor(blocks: Sequence[str], url: str | None, excluded: set[int], before: int | None = None) -> int | None:
    """The block the URL names: the headline-shaped block whose words best match the URL's slug.

    A strong hint: the title usually stands after the navigation, and the article follows it. Most blocks
    share no word with the slug: they score 0 and are skipped before their words are read.
    """
    slug = slug_words(url)
    if len(slug) < 2:
        return None
    stems = {word[:SLUG_STEM] for word in slug}
    best, best_score = None, 0.0
    for index, block in enumerate(blocks[:before]):
        if index in excluded or not is_headline(block) or _shares_no_stem(block, stems):
            continue
        score = _dice(_stems(block), stems)
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= MIN_SLUG_SCORE else None


def _title_shaped(block: str) -> bool:
    """A title: up to 30 words, not ending like a sentence cut short or a label (',', ';', ':'), and more
    than an icon's letter or two."""
    if block.endswith((".", ",", ";", ":", "…")) or block.startswith(("©", "http")):
        return False
    return 1 <= len(block.split(None, TITLE_MAX_WORDS)) <= TITLE_MAX_WORDS and _MIN_LETTERS.search(block) is not None


def _shown_elsewhere(blocks: Sequence[str], index: int) -> bool:
    """The block's text stands in another block too: a title comes back in a breadcrumb, a share box
    or the page's own heading."""
    block = blocks[index]
    return any(j != index and block in other for j, other in enumerate(blocks))


def choose_title(blocks: Sequence[str], body_start: int, anchor: int | None, excluded: set[int],
                 slug: set[str], slug_index: int | None, dateline_in_body: int | None = None) -> int | None:
    """The title: of the title-shaped blocks just above the body (and the one the URL names), the one
    scoring best on its match with the URL, its nearness to the dateline or the body, its length, and
    being shown elsewhere on the page too (breadcrumb, share box). A title stands above its dateline
    (a heading below it is a picture's or a section's), and is no menu item among other short ones."""
    limit = min(body_start, len(blocks))
    top = anchor if anchor is not None and anchor < limit else limit
    indices = [i for i in range(limit - 1, -1, -1) if i not in excluded and i != anchor][:TITLE_LOOKBACK]
    if slug_index is not None and slug_index not in indices:
        indices.append(slug_index)
    # The headline stands just above its dateline, even when the body was found far below it; with no
    # headline there (only a menu, a kicker or a breadcrumb), it is the block right after the dateline
    # ('Германия / 15 августа 2016 / headline'). A heading further below is a picture's or a section's.
    above_top = [i for i in range(top - 1, -1, -1) if i not in excluded][:HEADLINE_ABOVE_DATELINE]
    after_top = None
    if not any(_title_shaped(blocks[i]) and len(blocks[i].split()) >= HEADLINE_MIN_WORDS and
               not _is_breadcrumb(blocks[i]) for i in above_top):
        after_top = next((i for i in range(top + 1, limit) if i not in excluded and blocks[i] != blocks[top]), None)
    indices.extend(i for i in [*above_top, after_top] if i is not None and i not in indices)
    candidates: list[tuple[float, int, int]] = []
    for index in indices:
        block = blocks[index]
        if not _title_shaped(block) or BYLINE_PREFIX.match(block) or _TITLED_NAME.match(block) or \
                _is_breadcrumb(block):
            continue
        words = len(block.split())
        below = index > top
        distance = sum(1 for i in range(index + 1, limit if below else top) if i not in excluded)
        score = TITLE_SLUG_WEIGHT * _slug_score(block, slug) + TITLE_WORD_BONUS * min(words, 10)
        # The block the URL names is weighed wherever it stands: past the lookback, more blocks between it
        # and the body (a product's option lists, a recipe's ingredients) say no more against it.
        score -= TITLE_DISTANCE_COST * min(distance, TITLE_LOOKBACK)
        if below and index != after_top:
            score -= TITLE_BELOW_DATELINE
        if words >= 3 and _shown_elsewhere(blocks, index):
            score += TITLE_SHOWN_ELSEWHERE
        if words <= 3 and _among_short(blocks, index, excluded):
            score -= TITLE_MENU_ITEM
            if len(slug) == 1:  # a one-word path ('/about-us/') names the section the menu links to
                score -= TITLE_SLUG_WEIGHT * _slug_score(block, slug)
        if " | " in block:  # the page's <title> shown on it ('Best Costumes | 2020', 'Title | Site')
            score -= TITLE_SITE_SUFFIX
        candidates.append((score, -distance, index))
    if not candidates:
        return slug_index
    best = max(candidates)[2]
    # A kicker (a section or topic label of a few words: 'ENVIRONMENT', 'Thema – Corona') stands right
    # above the headline; the headline is the title.
    following = {index for _, _, index in candidates}
    after = next((i for i in range(best + 1, min(limit + 1, len(blocks))) if i not in excluded and i != anchor), None)
    words = len(blocks[best].split())
    # The headline under a kicker may be the body's first block, when the dateline follows it closely (the
    # body was taken from the headline on): a headline of two sentences ('... for over a century. Now, it's
    # being reborn.') looks like prose.
    headline = after in following or (
        after == limit and len(blocks[after].split()) <= KICKER_HEADLINE_MAX_WORDS and
        dateline_in_body is not None and after < dateline_in_body <= after + KICKER_HEADLINE_TO_DATELINE)
    if headline and words <= KICKER_MAX_WORDS and len(blocks[after].split()) >= 2 * words and \
            not _among_short(blocks, best, excluded) and not _named_again(blocks, best):
        return after
    # The headline in full beside its short form (a teaser's or the URL's): 'Weihnachten nicht zunehmen:
    # 10 Tipps' and 'Weihnachten nicht zunehmen: 10 Tipps für ein schlankes Fest'.
    fuller = [i for i in following if blocks[i].startswith(blocks[best] + " ")]
    if fuller:
        return min(fuller, key=lambda i: abs(i - best))
    # The headline alone beside itself with a kicker glued on ('Lokales Lübeck So lief die Auktion ...').
    bare = [i for i in following if len(blocks[i].split()) >= 3 and blocks[best].endswith(" " + blocks[i])]
    return min(bare, key=lambda i: abs(i - best)) if bare else best


def _named_again(blocks: Sequence[str], index: int) -> bool:
    """The block comes back right beside itself or inside a longer block (a heading over its own
    subheading, a breadcrumb naming the page): the page's name, not a section label."""
    block = blocks[index]
    if any(blocks[j] == block for j in (index - 1, index + 1) if 0 <= j < len(blocks)):
        return True
    return any(len(other) > len(block) and block in other for other in blocks)


def _among_short(blocks: Sequence[str], index: int, excluded: set[int]) -> bool:
    """Both neighbours (chrome aside) are short too: a menu, not a heading above a text."""
    neighbours = []
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(blocks) and j in excluded:
            j += step
        neighbours.append(0 <= j < len(blocks) and len(blocks[j].split()) <= 3)
    return all(neighbours)


_BREADCRUMB = re.compile(r"\s(?:»|>|/|›|→|\|)\s")


def _is_breadcrumb(block: str) -> bool:
    """A path of links ('Home > News > Title'), or a link back up it ('< Zurück / Joghurt', '← Back')."""
    return len(_BREADCRUMB.findall(block)) >= 2 or block.startswith(_BACK_ARROWS)


_BACK_ARROWS = ("<", "‹", "←")


def _header_inside_body(blocks: Sequence[str], body_start: int, anchor: int | None, excluded: set[int],
                        dateline: tuple[int, str] | None) -> int:
    """Where the title is looked for above: the body's start, or a dateline a few blocks into the body
    when a headline the page shows elsewhere too (twice, or inside a breadcrumb) stands between them (the
    body was taken from too high, from a print notice or a teaser above the article)."""
    if anchor is not None or dateline is None or not body_start < dateline[0] <= body_start + HEADER_INSIDE_BODY:
        return body_start
    for index in range(body_start, dateline[0]):
        block = blocks[index]
        if index not in excluded and _title_shaped(block) and len(block.split()) >= 3 and \
                _shown_elsewhere(blocks, index):
            return dateline[0]
    return body_start


def find_header(blocks: Sequence[str], title_index: int | None, body_start: int, anchor: int | None,
                excluded: set[int], stops: frozenset[str] = frozenset(), body_end: int | None = None,
                dateline: tuple[int, str] | None = None, url: str | None = None) -> Header:
    """Title, subtitle and authors from the blocks before the body.

    The title is the block the URL names (`title_index`), else the headline-shaped block nearest above
    the body (above the dateline `anchor` when there is one). Between title and body stand the
    standfirst (subtitle), the byline and the dateline.
    """
    header = Header()
    if anchor is not None:
        header.indices.add(anchor)
    title_limit = _header_inside_body(blocks, body_start, anchor, excluded, dateline)
    in_body = dateline[0] if dateline is not None and dateline[0] >= body_start else None
    title_index = choose_title(blocks, title_limit, anchor if title_limit == body_start else None, excluded,
                               slug_words(url), title_index, in_body)
    first = title_index + 1 if title_index is not None else max(0, body_start - TITLE_SEARCH_BLOCKS)
    if title_index is not None:
        header.title = blocks[title_index]
        header.indices.add(title_index)
    bare: tuple[int, list[str]] | None = None
    shown = 0  # blocks after the title: a bare name stands among the first few, not in a product's options
    for index in range(first, min(body_start, len(blocks))):
        if index in excluded or index == anchor:
            continue
        block = blocks[index]
        shown += 1
        if bare is None and shown <= TITLE_SEARCH_BLOCKS and (authors := parse_byline(block, stops)):
            bare = (index, authors)
        elif header.subtitle is None and title_index is not None and len(block.split()) >= 5:
            header.subtitle = block
            header.indices.add(index)
    # A byline word before a name in the header, even among a date or a credit ('Posted on ... by X'),
    # is the surest; then a name beside the dateline; then a bare name between title and body.
    top = (title_index if title_index is not None else max(0, body_start - TITLE_SEARCH_BLOCKS)) - BYLINE_ABOVE_TITLE
    for index in range(max(0, top), min(len(blocks), body_start + BYLINE_INTO_BODY)):
        if index in excluded and index != anchor and not BYLINE_PREFIX.match(blocks[index]):
            continue  # chrome, unless it opens with a byline word ('von A B Foto: © Agentur')
        if authors := inline_byline(blocks[index], stops):
            header.authors = authors
            if index < body_start or len(blocks[index].split()) <= 8:
                header.indices.add(index)
            break
        if authors := split_byline(blocks, index, excluded):
            header.authors = authors
            header.indices.update((index, index + 1))
            break
    if not header.authors and dateline is not None and 0 <= dateline[0] < len(blocks):
        header.authors = dateline_author(blocks[dateline[0]], dateline[1], stops)
    if not header.authors:
        # A byline with its introducing word ('By', 'Von', 'Autor:', 'Quelle:') at the foot of the body, or
        # alone on its line further down the body ('Von A B' closing the article before what follows).
        end = body_end if body_end is not None else body_start
        for index in range(body_start + BYLINE_INTO_BODY, end):
            if index not in excluded and not _more_words_than(blocks[index], PREFIXED_BYLINE_MAX_WORDS) and \
                    (authors := parse_byline(blocks[index], stops, prefixed_only=True)) and \
                    all(looks_like_name(name) for name in authors):
                header.authors = authors
                header.indices.add(index)
                break
    if not header.authors:
        end = body_end if body_end is not None else body_start
        for index in range(end, min(len(blocks), end + BYLINE_AFTER_BODY)):
            if index in excluded:
                continue
            if not _more_words_than(blocks[index], BARE_BYLINE_MAX_WORDS + 4) and \
                    (authors := inline_byline(blocks[index], stops)):
                header.authors = authors
                header.indices.add(index)
                break
            if authors := split_byline(blocks, index, excluded):
                header.authors = authors
                header.indices.update((index, index + 1))
                break
    if not header.authors and dateline is not None:
        # The article's facts box repeats its date with the author after it ('Letzte Aktualisierung' /
        # '31.10.2023' / 'Tom Arnold'); a line followed by the date is its label, not a name.
        copies = {index for index, block in enumerate(blocks) if index != dateline[0] and block.strip() == dateline[1]}
        for index in sorted(copies):
            after = index + 1
            if after < len(blocks) and after not in excluded and after + 1 not in copies and \
                    not _more_words_than(blocks[after], BARE_BYLINE_MAX_WORDS) and \
                    (names := parse_byline(blocks[after], stops)) and all(looks_like_name(n) for n in names):
                header.authors = names
                header.indices.add(after)
                break
    if not header.authors:
        header.authors, linked = author_link(blocks, excluded, stops)
        if linked is not None:
            header.indices.add(linked)
    if not header.authors and bare is not None:
        header.authors = bare[1]
        header.indices.add(bare[0])
    if not header.authors:
        # A name alone on its line (perhaps with a date) just above the title, at the top of the body, or
        # just below it.
        end = body_end if body_end is not None else body_start
        above = range(max(0, top), title_index) if title_index is not None else range(0)
        for index in [*above, *range(body_start, min(end, body_start + BYLINE_INTO_BODY)), *range(end, end + 3)]:
            if index < len(blocks) and index not in excluded and \
                    not _more_words_than(blocks[index], BARE_BYLINE_MAX_WORDS) and \
                    (authors := parse_byline(blocks[index], stops)):
                near_dateline = dateline is not None and abs(index - dateline[0]) <= 2
                if _credit_above_byline(blocks, index, stops) or \
                        (_among_short(blocks, index, excluded) and not near_dateline):
                    continue  # a picture's credit; a menu item among others ('Über uns', 'Docker Engine')
                header.authors = authors
                header.indices.add(index)
                break
    # 'Robert Burns, AP National Security Writer': the part after the comma is the writer's post.
    names = [name for name in header.authors if not any(w.casefold() in ROLE_WORDS for w in name.split())]
    if names:
        header.authors = names
    return header
